package dev.weft.api.handshake;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The head of the HTTP request that opens a WebSocket connection (RFC 6455 §4.1): request line
 * and header fields. Immutable.
 *
 * @param method the method, such as {@code GET}
 * @param target the request target as sent: a path with an optional query ({@code /chat?room=a})
 * @param version the protocol version, such as {@code HTTP/1.1}
 * @param headers the header fields
 */
public record HandshakeRequest(String method, String target, String version, Headers headers) {

    public HandshakeRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(headers, "headers");
    }

    /** The path part of the target, without the query. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The query part of the target, without the {@code ?}, if there is one. */
    public Optional<String> query() {
        int q = target.indexOf('?');
        return q < 0 ? Optional.empty() : Optional.of(target.substring(q + 1));
    }

    /** The first value of header {@code name}. */
    public Optional<String> header(String name) {
        return headers.first(name);
    }

    /** The {@code Origin} header, which browsers always send (RFC 6454). */
    public Optional<String> origin() {
        return headers.first("Origin");
    }

    /**
     * The subprotocols the client offered in {@code Sec-WebSocket-Protocol}, in its order of
     * preference, from every occurrence of the header.
     */
    public List<String> subprotocols() {
        List<String> out = new ArrayList<>();
        for (String value : headers.all("Sec-WebSocket-Protocol")) {
            for (String part : value.split(",")) {
                String p = part.trim();
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
        }
        return List.copyOf(out);
    }
}
