package dev.weft.api;

import java.nio.ByteBuffer;

/**
 * Receives the events of one connection. Every method has an empty default, so a handler overrides
 * only what it needs.
 *
 * <h2>Order and count</h2>
 * {@link #onOpen} is called exactly once, first. Then, in the order they arrived: {@link #onText},
 * {@link #onBinary}, {@link #onPing}, {@link #onPong} and {@link #onWritable}, any number of times. Then
 * {@link #onError} at most once, when the connection fails (a protocol violation by the peer, a
 * transport error, or an exception thrown by this handler). {@link #onClose} is called exactly once,
 * last, when the connection is {@link ConnectionState#CLOSED}. No method is called concurrently with
 * another for the same connection.
 *
 * <h2>Threads</h2>
 * Callbacks run on the connection's event-loop thread unless the transport is configured with an
 * executor. On the loop thread, never block: a blocked callback stalls every connection of that loop.
 *
 * <h2>Failures</h2>
 * If a callback throws, the connection is closed with {@link CloseCodes#INTERNAL_ERROR}, and the
 * exception is passed to {@link #onError}; other connections are not affected.
 *
 * <p>To receive large messages as ordered parts instead of whole, implement
 * {@link PartialMessageHandler}; to see every frame, also implement {@link FrameObserver}.
 */
public interface WebSocketHandler {

    /** The opening handshake has completed; the connection is {@link ConnectionState#OPEN}. */
    default void onOpen(Connection connection) {
    }

    /** A whole text message arrived. */
    default void onText(Connection connection, String text) {
    }

    /** A whole binary message arrived; the buffer belongs to the handler. */
    default void onBinary(Connection connection, ByteBuffer data) {
    }

    /**
     * A ping arrived. Unless auto-pong is switched off in the configuration, the pong has already
     * been queued; the buffer belongs to the handler.
     */
    default void onPing(Connection connection, ByteBuffer data) {
    }

    /** A pong arrived; the buffer belongs to the handler. */
    default void onPong(Connection connection, ByteBuffer data) {
    }

    /**
     * The connection is closed.
     *
     * @param code the code the peer sent; {@link CloseCodes#NO_STATUS_RECEIVED} if its close frame
     *     carried none; {@link CloseCodes#ABNORMAL_CLOSURE} if the connection ended without a close
     *     handshake; or the code this endpoint sent when it failed the connection
     * @param reason the reason that came with {@code code}; empty if none
     */
    default void onClose(Connection connection, int code, String reason) {
    }

    /**
     * The write queue, which had grown past its high watermark, has drained below its low
     * watermark: {@link Connection#isWritable()} is true again and producing can resume.
     */
    default void onWritable(Connection connection) {
    }

    /**
     * The connection failed. {@link #onClose} follows. A {@link WebSocketException} says which close
     * code the failure led to.
     */
    default void onError(Connection connection, Throwable error) {
    }
}
