package dev.weft.api.handshake;

import java.util.Objects;

/**
 * The head of the HTTP response to an opening handshake: {@code 101 Switching Protocols} when the
 * upgrade was accepted, any other status when it was refused. Immutable.
 *
 * @param status the status code
 * @param reason the reason phrase (may be empty)
 * @param headers the header fields
 */
public record HandshakeResponse(int status, String reason, Headers headers) {

    public HandshakeResponse {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(headers, "headers");
    }

    /** The first value of header {@code name}, or {@code null}. */
    public String header(String name) {
        return headers.first(name).orElse(null);
    }
}
