package dev.weft.core.handshake;

import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeRequest;

import java.util.function.Function;

/**
 * A WebSocket endpoint of a server: a path pattern, and what the opening handshake of a request
 * routed there runs with (the handshake with its configuration and interceptors, and the factory
 * that makes a handler for each accepted connection). {@link Routes} matches paths against it and
 * hands the driver its {@link ServerOpening.Endpoint}.
 *
 * @param pattern an exact path ({@code /echo}) or a prefix ending in {@code /*} ({@code /chat/*}
 *     matches {@code /chat/lobby})
 * @param opening the route the opening handshake takes
 */
public record Endpoint(String pattern, ServerOpening.Endpoint opening) {

    public Endpoint {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("an endpoint path starts with /: " + pattern);
        }
    }

    /**
     * @param handshake the handshake for this endpoint
     * @param config the protocol settings of its connections
     * @param handlers makes a handler per connection, from the accepted request
     */
    public static Endpoint of(String pattern, ServerHandshake handshake, WebSocketConfig config,
                              Function<HandshakeRequest, ? extends WebSocketHandler> handlers) {
        return new Endpoint(pattern, new ServerOpening.Endpoint(pattern, handshake, config, handlers));
    }

    boolean isPrefix() {
        return pattern.endsWith("/*");
    }

    /** How well this endpoint matches {@code path}: -1 not at all; exact beats any prefix, longer prefixes beat shorter. */
    int match(String path) {
        if (!isPrefix()) {
            return pattern.equals(path) ? Integer.MAX_VALUE : -1;
        }
        String prefix = pattern.substring(0, pattern.length() - 2);
        return path.equals(prefix) || path.startsWith(prefix + "/") ? prefix.length() : -1;
    }
}
