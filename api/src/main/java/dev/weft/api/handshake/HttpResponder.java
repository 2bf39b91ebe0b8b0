package dev.weft.api.handshake;

import java.nio.ByteBuffer;

/**
 * Answers plain HTTP requests (those without an {@code Upgrade} header, for a path no WebSocket
 * endpoint claims) that arrive on a WebSocket server's port, such as the page of a demo. The
 * connection is closed after the answer. Runs on the thread that read the request (an event loop,
 * for the NIO transport): it must not block. Thread-safe: connections are answered concurrently.
 */
@FunctionalInterface
public interface HttpResponder {

    /**
     * @return a complete HTTP response, head and body (see {@link HttpResponses})
     */
    ByteBuffer respond(HandshakeRequest request);
}
