package dev.weft.api.handshake;

import dev.weft.api.CloseCodes;
import dev.weft.api.WebSocketException;

import java.util.Objects;

/**
 * The opening handshake failed. On a server, {@link #status()} is the HTTP status the request is
 * refused with; on a client, it is the status the server answered with (0 if the failure was not
 * about the status, such as a wrong {@code Sec-WebSocket-Accept}), and {@link #headers()} are the
 * response's headers (a redirect's {@code Location}, an authentication challenge). The message names
 * what was wrong.
 */
public class HandshakeException extends WebSocketException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Headers headers;

    /**
     * @param status the HTTP status, or 0
     * @param message what was wrong
     */
    public HandshakeException(int status, String message) {
        this(status, message, Headers.empty());
    }

    /**
     * @param status the HTTP status, or 0
     * @param message what was wrong
     * @param headers the headers of the response that carried {@code status}
     */
    public HandshakeException(int status, String message, Headers headers) {
        super(CloseCodes.PROTOCOL_ERROR, message);
        this.status = status;
        this.headers = Objects.requireNonNull(headers, "headers");
    }

    /** The HTTP status involved, or 0. */
    public int status() {
        return status;
    }

    /**
     * On a client, the headers of the response the server refused the upgrade with; empty if there
     * was none (and after deserialisation).
     */
    public Headers headers() {
        return headers != null ? headers : Headers.empty();
    }
}
