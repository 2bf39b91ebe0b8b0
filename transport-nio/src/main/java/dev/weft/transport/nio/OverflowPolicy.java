package dev.weft.transport.nio;

/** What happens when a connection's write queue would pass its maximum (a peer that stopped reading). */
public enum OverflowPolicy {
    /**
     * Close with 1008 (policy violation). The close frame goes out behind what is queued; if the
     * peer still does not read it within the close timeout, the connection is aborted. The
     * default.
     */
    CLOSE,
    /** Abort the connection at once, dropping what is queued; the handler sees 1006. */
    ABORT
}
