package dev.weft.api;

/**
 * The life of a connection (RFC 6455 §4 and §7). It only moves forward:
 * {@code CONNECTING → OPEN → CLOSING → CLOSED}, and may skip straight to {@code CLOSED} on an abort
 * or a transport failure.
 */
public enum ConnectionState {
    /** The opening handshake has not finished; nothing can be sent yet. */
    CONNECTING,
    /** Messages flow both ways. */
    OPEN,
    /** A close frame has been sent and the peer's is awaited; nothing more can be sent. */
    CLOSING,
    /** The close handshake finished or the connection was aborted; the transport is closed. */
    CLOSED
}
