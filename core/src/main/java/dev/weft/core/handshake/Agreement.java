package dev.weft.core.handshake;

import dev.weft.api.extension.Extension;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.HandshakeResponse;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a successful opening handshake agreed on: everything a session needs to start.
 *
 * @param request the upgrade request (as received by a server, as sent by a client)
 * @param response the 101 response (as sent by a server, as received by a client)
 * @param subprotocol the agreed subprotocol, or {@code null}
 * @param extensions the agreed extensions, in the order of the server's response
 * @param attributes attributes set by handshake interceptors, copied into the connection
 */
public record Agreement(HandshakeRequest request, HandshakeResponse response, String subprotocol,
                        List<Extension> extensions, Map<String, Object> attributes) {

    public Agreement {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(response, "response");
        extensions = List.copyOf(extensions);
        attributes = Map.copyOf(attributes);
    }
}
