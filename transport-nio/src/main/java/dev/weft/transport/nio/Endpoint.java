package dev.weft.transport.nio;

import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.core.handshake.ServerHandshake;

import java.util.function.Function;

/**
 * A WebSocket endpoint of a server: a path pattern, the handshake it answers with (configuration
 * and interceptors), and the factory that makes a handler for each accepted connection.
 *
 * @param pattern an exact path ({@code /echo}) or a prefix ending in {@code /*} ({@code /chat/*}
 *     matches {@code /chat/lobby})
 * @param handshake the handshake for this endpoint
 * @param config the protocol settings of its connections
 * @param handlers makes a handler per connection, from the accepted request
 */
record Endpoint(String pattern, ServerHandshake handshake, WebSocketConfig config,
                Function<HandshakeRequest, ? extends WebSocketHandler> handlers) {

    Endpoint {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("an endpoint path starts with /: " + pattern);
        }
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
