package dev.weft.api.metrics;

/** Which end began a connection's close, as {@link ConnectionMetrics#closed} reports it. */
public enum CloseSide {
    /**
     * This end: it sent the first close frame (a close the application asked for, or a failure it
     * detected, such as a protocol error or a full write queue), or it ended the connection at a
     * timeout or an abort.
     */
    LOCAL,
    /** The peer: its close frame came first, or it ended the TCP connection (or the network did). */
    REMOTE
}
