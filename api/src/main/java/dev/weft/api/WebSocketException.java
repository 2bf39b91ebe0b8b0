package dev.weft.api;

/**
 * A failure of a WebSocket connection that leads to a close code: a protocol violation by the peer
 * ({@link CloseCodes#PROTOCOL_ERROR}), invalid text ({@link CloseCodes#INVALID_PAYLOAD}), a message
 * over a limit ({@link CloseCodes#MESSAGE_TOO_BIG}) and so on. Extensions throw it to fail the
 * connection with a specific code.
 */
public class WebSocketException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int closeCode;

    /**
     * @param closeCode the code the connection is closed with
     * @param message what went wrong, for logs and the close reason
     */
    public WebSocketException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    /**
     * @param closeCode the code the connection is closed with
     * @param message what went wrong, for logs and the close reason
     * @param cause the underlying failure
     */
    public WebSocketException(int closeCode, String message, Throwable cause) {
        super(message, cause);
        this.closeCode = closeCode;
    }

    /** The close code this failure leads to. */
    public int closeCode() {
        return closeCode;
    }
}
