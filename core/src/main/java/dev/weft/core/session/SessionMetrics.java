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

    /**
     * An extension handed back one more slice of a frame's output, on a later turn of the loop
     * than the frame's first (see {@link dev.weft.api.extension.ExtensionDecoder#hasPendingOutput()}).
     */
    default void sliceDecoded() {
    }

    /** This endpoint failed the connection with {@code code}: a protocol error by the peer, say. */
    default void failed(int code) {
    }

    /** The connection closed; {@code code} is the one reported to the handler. */
    default void closed(int code) {
    }
}
