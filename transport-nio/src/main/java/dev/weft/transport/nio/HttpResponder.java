package dev.weft.transport.nio;

import dev.weft.api.handshake.HandshakeRequest;

import java.nio.ByteBuffer;

/**
 * Answers plain HTTP requests (those without an {@code Upgrade} header, for a path no WebSocket
 * endpoint claims) that arrive on a WebSocket server's port, such as the page of a demo. The connection is closed after the answer.
 * Runs on the event loop: it must not block.
 */
@FunctionalInterface
public interface HttpResponder {

    /**
     * @return a complete HTTP response, head and body (see
     *     {@link dev.weft.core.handshake.ServerHandshake#httpResponse})
     */
    ByteBuffer respond(HandshakeRequest request);
}
