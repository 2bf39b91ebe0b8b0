package dev.weft.core.session;

/**
 * Counts what happens on sessions, for a transport's statistics. Called on the loop thread; an
 * implementation shared by many loops must be thread-safe (say, {@code LongAdder}s).
 */
public interface SessionMetrics {

    /** Counts nothing. */
    SessionMetrics NONE = new SessionMetrics() {
    };

    /** A whole message arrived (in partial mode: the final part of one). */
    default void messageReceived() {
    }

    /** This endpoint failed the connection with {@code code}: a protocol error by the peer, say. */
    default void failed(int code) {
    }

    /** The connection closed; {@code code} is the one reported to the handler. */
    default void closed(int code) {
    }
}
