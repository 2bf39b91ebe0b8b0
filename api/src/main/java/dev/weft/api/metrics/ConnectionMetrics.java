package dev.weft.api.metrics;

/**
 * The events of one WebSocket connection, from its open to its close: what
 * {@link WebSocketMetrics#opened} returned for it. Every method has an empty default, so that a
 * listener overrides only what it counts, and so that events added later (a cluster broker's
 * gaps, say) break no listener.
 *
 * <p>Calls for one connection may come from more than one thread, and at the same time (on the
 * blocking transport, whichever threads read and write it), so implementations must be
 * thread-safe. Each call must be cheap and must not block; none carries an object made for it.
 */
public interface ConnectionMetrics {

    /** Counts nothing. */
    ConnectionMetrics NONE = new ConnectionMetrics() {
    };

    /** A whole message arrived (for a handler that takes parts: the final part of one). */
    default void messageReceived() {
    }

    /** A whole message was handed to the transport (its final frame queued), broadcasts included. */
    default void messageSent() {
    }

    /**
     * An extension handed back one more slice of a frame's decoded output on a later turn than the
     * frame's first: how often a large decompression yielded to the other connections.
     */
    default void sliceDecoded() {
    }

    /**
     * This end failed the connection with {@code code}: the peer broke the protocol (1002, 1007,
     * 1009, 1008) or the handler threw (1011). {@link #closed} follows.
     */
    default void failed(int code) {
    }

    /**
     * The write queue passed its high watermark: the connection is not writable (and, on the NIO
     * transport by default, stops reading) until it drains to the low one.
     *
     * @param queuedBytes what the queue held when it passed the mark
     */
    default void writeQueueFull(long queuedBytes) {
    }

    /** The write queue drained to its low watermark after {@link #writeQueueFull}: writable again. */
    default void writeQueueDrained() {
    }

    /**
     * The most the write queue ever held, in bytes: its high-water mark. Reported once, when the
     * transport lets go of the connection, before or after {@link #closed}.
     */
    default void writeQueuePeak(long bytes) {
    }

    /** The memory budget stopped this connection reading: it held the most when the budget ran short. */
    default void budgetPaused() {
    }

    /** The memory budget closed this connection (with 1013) to get its memory back. {@link #closed} follows. */
    default void closedByBudget() {
    }

    /**
     * The connection closed. Called once, last but for {@link #writeQueuePeak}.
     *
     * @param code the close code reported to the handler (1006 when the connection ended without a
     *     close frame)
     * @param side which end began the close
     */
    default void closed(int code, CloseSide side) {
    }
}
