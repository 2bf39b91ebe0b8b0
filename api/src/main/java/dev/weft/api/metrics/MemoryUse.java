package dev.weft.api.metrics;

/**
 * A live view of the memory budget the connections of a server or client share (see
 * {@link WebSocketMetrics#memoryBudget}), for gauges: each call answers what holds now.
 * Thread-safe.
 */
public interface MemoryUse {

    /** What all connections hold now, in bytes: unfinished messages, queued output, kept input. */
    long heldBytes();

    /** The budget, in bytes. */
    long limit();

    /** Connections that are not reading now because the budget is exceeded. */
    int pausedConnections();
}
