package dev.weft.api.handshake;

import dev.weft.api.CloseCodes;
import dev.weft.api.WebSocketException;

/**
 * The opening handshake failed. On a server, {@link #status()} is the HTTP status the request is
 * refused with; on a client, it is the status the server answered with (0 if the failure was not
 * about the status, such as a wrong {@code Sec-WebSocket-Accept}). The message names what was wrong.
 */
public class HandshakeException extends WebSocketException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status the HTTP status, or 0
     * @param message what was wrong
     */
    public HandshakeException(int status, String message) {
        super(CloseCodes.PROTOCOL_ERROR, message);
        this.status = status;
    }

    /** The HTTP status involved, or 0. */
    public int status() {
        return status;
    }
}
