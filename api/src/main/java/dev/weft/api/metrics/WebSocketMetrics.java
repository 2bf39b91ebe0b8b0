package dev.weft.api.metrics;

import dev.weft.api.Role;

/**
 * A metrics listener: what a transport reports about a server's or a client's connections. Give
 * one to a server's or a client's builder ({@code metrics(...)}); every transport (NIO, TLS under
 * it, and the blocking one) reports the same events. {@code weft-metrics-micrometer} binds it to
 * Micrometer; the default, {@link #NONE}, does nothing.
 *
 * <p>Every method has an empty default, so that a listener overrides only what it counts, and so
 * that events added later break no listener. Events carry
 * primitives and constants only: nothing is allocated to report one, so a listener may stay on in
 * production. What a listener keeps per connection it makes in {@link #opened}.
 *
 * <p>Thread-safe, as every implementation must be: a server's event loops (or a blocking server's
 * connection threads) report at the same time. Calls must be cheap and must not block.
 */
public interface WebSocketMetrics {

    /** Counts nothing. */
    WebSocketMetrics NONE = new WebSocketMetrics() {
    };

    /** Why a server closed a connection as soon as it was accepted, or answered it 503. */
    enum Refusal {
        /** The server was at its connection cap: the client was answered 503. */
        CONNECTION_CAP,
        /** The client's address held its per-address cap: closed at accept. */
        ADDRESS_CAP,
        /** The handshake cap was reached: closed at accept. */
        HANDSHAKE_CAP
    }

    /**
     * A TCP connection was accepted or connected, before its opening handshake. Reported by the
     * servers of both transports and by the NIO client; the blocking client and sockets adopted by
     * a {@code SocketAcceptor} were connected by the application, and report from their opening on.
     */
    default void socketOpened() {
    }

    /** A TCP connection of {@link #socketOpened} closed, whether it ever became a WebSocket or not. */
    default void socketClosed() {
    }

    /**
     * Bytes read from the network. The NIO transport counts what its sockets read, handshakes and
     * TLS records included; the blocking transport counts from the end of the opening handshake's
     * request, on the application side of TLS.
     */
    default void bytesRead(long bytes) {
    }

    /** Bytes written to the network, counted as {@link #bytesRead} counts. */
    default void bytesWritten(long bytes) {
    }

    /** A server refused a connection at a cap (see {@link Refusal}); a 503 is also a {@link #handshakeRefused}. */
    default void refused(Refusal cap) {
    }

    /** A server failed to accept a connection (out of file descriptors, say) and backs off. */
    default void acceptFailed() {
    }

    /**
     * A server answered an upgrade request with an HTTP error instead of 101: 400 for a malformed
     * request, 403 refused by an interceptor, 404 no endpoint, 426 wrong version, 431 head too
     * large, 503 over a cap or shutting down, 500 a handler factory failed. Plain HTTP requests that
     * a responder answered are not refusals.
     */
    default void handshakeRefused(int status) {
    }

    /**
     * The memory budget the connections of a server or client share, as it is built: a live view
     * to read gauges from. Called once per server or client that reports here.
     */
    default void memoryBudget(MemoryUse budget) {
    }

    /**
     * Messages that other nodes of a cluster published to this node's rooms and that never arrived:
     * gaps in their sequence numbers, seen by {@code weft-cluster}'s rooms. Delivery across nodes is
     * at most once; this counts what "at most" cost.
     */
    default void brokerMissed(long messages) {
    }

    /**
     * A message this node's rooms meant to publish to other nodes and dropped: their outbound
     * queue was full, or the broker failed the publish (its engine down, say).
     */
    default void brokerPublishDropped() {
    }

    /**
     * A message that arrived from the broker and was dropped: not an envelope (another application
     * on the channel, say), or the rooms' delivery queue was full.
     */
    default void brokerArrivalDropped() {
    }

    /**
     * A WebSocket connection opened (its handshake succeeded): returns what its events go to from
     * now on, made once for the connection (say, counters looked up for its endpoint).
     *
     * @param role which end this is
     * @param endpoint on a server, the pattern the endpoint was registered with ({@code /chat/*}),
     *     never the request's path, so that a tag made of it takes few values; on a client, null
     * @return the connection's listener; {@link ConnectionMetrics#NONE} for none
     */
    default ConnectionMetrics opened(Role role, String endpoint) {
        return ConnectionMetrics.NONE;
    }

    /**
     * A listener that reports each event here, then to {@code next}: to count in two places (a
     * server's own statistics and a monitoring system, say).
     */
    default WebSocketMetrics andThen(WebSocketMetrics next) {
        if (next == NONE) {
            return this;
        }
        return this == NONE ? next : new MetricsPair(this, next);
    }
}
