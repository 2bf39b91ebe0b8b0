package dev.weft.testing;

import dev.weft.core.session.MemoryBudget;

/**
 * A bound on what the connections given it hold together, as a server's or a client's memory
 * budget bounds its connections (see the README's "Limits and bad input"): over it, the largest
 * holders stop reading, then the largest is closed with 1013. Give one limit to several
 * {@link InMemoryPair}s or {@link ScriptedPeer}s to share it. Thread-safe.
 */
public final class MemoryLimit {

    private final MemoryBudget budget;

    /** @param bytes the most the connections may hold together; positive */
    public MemoryLimit(long bytes) {
        this.budget = new MemoryBudget(bytes);
    }

    /** A limit too large to matter: for watching what connections hold. */
    public static MemoryLimit unlimited() {
        return new MemoryLimit(MemoryBudget.UNLIMITED);
    }

    /** What the connections hold now, in bytes. */
    public long heldBytes() {
        return budget.heldBytes();
    }

    /** How many connections have stopped reading for the limit now. */
    public int pausedConnections() {
        return budget.pausedConnections();
    }

    /** How many connections the limit has closed (with 1013). */
    public long evictions() {
        return budget.evictions();
    }

    MemoryBudget budget() {
        return budget;
    }
}
