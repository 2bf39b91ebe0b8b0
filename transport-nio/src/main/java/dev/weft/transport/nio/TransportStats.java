package dev.weft.transport.nio;

import dev.weft.transport.nio.loop.Counters;
import dev.weft.transport.nio.loop.Lanes;

import java.util.Map;
import java.util.TreeMap;

/**
 * Live counters of a server or client: connections, messages, bytes, protocol errors, closes by
 * code, and a server's refusals at its connection caps. Every NIO server and client keeps these,
 * counted through the same {@link dev.weft.api.metrics.WebSocketMetrics} events as the listener
 * it was given (if any), which a monitoring system reads instead: see {@code weft-metrics-micrometer}.
 * Thread-safe; every read is a current value, not a snapshot of all counters at one instant.
 */
public final class TransportStats {

    private final Counters counters;

    TransportStats(Counters counters) {
        this.counters = counters;
    }

    /** What all connections hold now, in bytes (see {@link dev.weft.api.Connection#heldBytes()}). */
    public long heldBytes() {
        return counters.budget().heldBytes();
    }

    /** The memory budget in bytes: see {@link TransportConfig#memoryBudget()}. */
    public long memoryBudget() {
        return counters.budget().limit();
    }

    /** Connections that are not reading now because the memory budget is exceeded. */
    public long pausedByBudget() {
        return counters.budget().pausedConnections();
    }

    /** Connections closed with 1013 to bring the held memory back within the budget. */
    public long closedByBudget() {
        return counters.closedByBudget.sum();
    }

    /** TCP connections open now, in the handshake or after it. */
    public long connectionsOpen() {
        return counters.connectionsOpen.get();
    }

    /** TCP connections ever opened. */
    public long connectionsTotal() {
        return counters.connectionsTotal.sum();
    }

    /** Whole messages received. */
    public long messagesIn() {
        return counters.traffic.sum(Lanes.Count.MESSAGES_IN);
    }

    /** Whole messages sent (counted when their final frame is queued). */
    public long messagesOut() {
        return counters.traffic.sum(Lanes.Count.MESSAGES_OUT);
    }

    /** Bytes read from sockets, handshakes included. */
    public long bytesIn() {
        return counters.traffic.sum(Lanes.Count.BYTES_IN);
    }

    /** Bytes written to sockets, handshakes included. */
    public long bytesOut() {
        return counters.traffic.sum(Lanes.Count.BYTES_OUT);
    }

    /** Connections failed for the peer's fault: protocol errors, invalid text, messages too big. */
    public long protocolErrors() {
        return counters.protocolErrors.sum();
    }

    /**
     * Slices of decoded output that extensions handed back on later turns of the event loop than
     * their frame's first: how often a large decompression yielded to the loop's other connections.
     */
    public long slicesDecoded() {
        return counters.slicesDecoded.sum();
    }

    /** How many connections closed with each code (as reported to handlers), by code. */
    public Map<Integer, Long> closesByCode() {
        Map<Integer, Long> out = new TreeMap<>();
        counters.closes.forEach((code, n) -> out.put(code, n.sum()));
        return out;
    }

    /** Connections answered 503 because the server was at its connection cap (a server's only). */
    public long refusedAtConnectionCap() {
        return counters.refusedAtConnectionCap.sum();
    }

    /** Connections closed at accept because their remote address held its cap (a server's only). */
    public long refusedAtAddressCap() {
        return counters.refusedAtAddressCap.sum();
    }

    /** Connections closed at accept because the handshake cap was reached (a server's only). */
    public long refusedAtHandshakeCap() {
        return counters.refusedAtHandshakeCap.sum();
    }

    /** Failed attempts to accept a connection (out of file descriptors, say); each one backs off. */
    public long acceptFailures() {
        return counters.acceptFailures.sum();
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
}
