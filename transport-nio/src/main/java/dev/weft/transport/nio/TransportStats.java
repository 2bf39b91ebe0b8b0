package dev.weft.transport.nio;

import dev.weft.api.CloseCodes;
import dev.weft.core.session.MemoryBudget;
import dev.weft.core.session.SessionMetrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of a server or client: connections, messages, bytes, protocol errors, closes by
 * code, and a server's refusals at its connection caps. Thread-safe; every read is a current value, not a snapshot of all counters at one instant.
 */
public final class TransportStats implements SessionMetrics {

    private final AtomicLong connectionsOpen = new AtomicLong();
    private final LongAdder connectionsTotal = new LongAdder();
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder protocolErrors = new LongAdder();
    private final LongAdder slicesDecoded = new LongAdder();
    private final ConcurrentHashMap<Integer, LongAdder> closes = new ConcurrentHashMap<>();
    private final MemoryBudget budget;
    private final LongAdder refusedAtConnectionCap = new LongAdder();
    private final LongAdder refusedAtAddressCap = new LongAdder();
    private final LongAdder refusedAtHandshakeCap = new LongAdder();
    private final LongAdder acceptFailures = new LongAdder();

    TransportStats(MemoryBudget budget) {
        this.budget = budget;
    }

    /** The memory budget every connection's holdings are charged to. */
    MemoryBudget budget() {
        return budget;
    }

    /** What all connections hold now, in bytes (see {@link dev.weft.api.Connection#heldBytes()}). */
    public long heldBytes() {
        return budget.heldBytes();
    }

    /** The memory budget in bytes: see {@link TransportConfig#memoryBudget()}. */
    public long memoryBudget() {
        return budget.limit();
    }

    /** Connections that are not reading now because the memory budget is exceeded. */
    public long pausedByBudget() {
        return budget.pausedConnections();
    }

    /** Connections closed with 1013 to bring the held memory back within the budget. */
    public long closedByBudget() {
        return budget.evictions();
    }

    /** TCP connections open now, in the handshake or after it. */
    public long connectionsOpen() {
        return connectionsOpen.get();
    }

    /** TCP connections ever opened. */
    public long connectionsTotal() {
        return connectionsTotal.sum();
    }

    /** Whole messages received. */
    public long messagesIn() {
        return messagesIn.sum();
    }

    /** Whole messages sent (counted when their final frame is queued). */
    public long messagesOut() {
        return messagesOut.sum();
    }

    /** Bytes read from sockets, handshakes included. */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** Bytes written to sockets, handshakes included. */
    public long bytesOut() {
        return bytesOut.sum();
    }

    /** Connections failed for the peer's fault: protocol errors, invalid text, messages too big. */
    public long protocolErrors() {
        return protocolErrors.sum();
    }

    /**
     * Slices of decoded output that extensions handed back on later turns of the event loop than
     * their frame's first: how often a large decompression yielded to the loop's other connections.
     */
    public long slicesDecoded() {
        return slicesDecoded.sum();
    }

    /** How many connections closed with each code (as reported to handlers), by code. */
    public Map<Integer, Long> closesByCode() {
        Map<Integer, Long> out = new TreeMap<>();
        closes.forEach((code, n) -> out.put(code, n.sum()));
        return out;
    }

    /** Connections answered 503 because the server was at its connection cap (a server's only). */
    public long refusedAtConnectionCap() {
        return refusedAtConnectionCap.sum();
    }

    /** Connections closed at accept because their remote address held its cap (a server's only). */
    public long refusedAtAddressCap() {
        return refusedAtAddressCap.sum();
    }

    /** Connections closed at accept because the handshake cap was reached (a server's only). */
    public long refusedAtHandshakeCap() {
        return refusedAtHandshakeCap.sum();
    }

    /** Failed attempts to accept a connection (out of file descriptors, say); each one backs off. */
    public long acceptFailures() {
        return acceptFailures.sum();
    }

    @Override
    public String toString() {
        return "connections " + connectionsOpen() + " open / " + connectionsTotal() + " total, messages "
                + messagesIn() + " in / " + messagesOut() + " out, bytes " + bytesIn() + " in / " + bytesOut()
                + " out, protocol errors " + protocolErrors() + ", closes " + closesByCode() + ", held " + heldBytes()
                + " of " + memoryBudget() + " bytes (" + pausedByBudget() + " paused, " + closedByBudget()
                + " closed by the budget), refused at caps " + refusedAtConnectionCap() + " connections / "
                + refusedAtAddressCap() + " per address / " + refusedAtHandshakeCap() + " handshakes, accept failures "
                + acceptFailures();
    }

    @Override
    public void messageReceived() {
        messagesIn.increment();
    }

    @Override
    public void sliceDecoded() {
        slicesDecoded.increment();
    }

    @Override
    public void failed(int code) {
        if (code != CloseCodes.INTERNAL_ERROR) {
            protocolErrors.increment();
        }
    }

    @Override
    public void closed(int code) {
        closes.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    void connectionOpened() {
        connectionsOpen.incrementAndGet();
        connectionsTotal.increment();
    }

    void connectionClosed() {
        connectionsOpen.decrementAndGet();
    }

    void messageSent() {
        messagesOut.increment();
    }

    void bytesRead(long n) {
        bytesIn.add(n);
    }

    void bytesWritten(long n) {
        bytesOut.add(n);
    }

    void connectionCapHit() {
        refusedAtConnectionCap.increment();
    }

    void addressCapHit() {
        refusedAtAddressCap.increment();
    }

    void handshakeCapHit() {
        refusedAtHandshakeCap.increment();
    }

    void acceptFailed() {
        acceptFailures.increment();
    }
}
