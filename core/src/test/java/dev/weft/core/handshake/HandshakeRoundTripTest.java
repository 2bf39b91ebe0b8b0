package dev.weft.core.handshake;

import dev.weft.api.Frame;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeInterceptor;
import dev.weft.api.handshake.Headers;
import dev.weft.core.extension.FakeExtensionFactory;
import dev.weft.core.handshake.ServerHandshake.Accepted;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client handshake answered by a server handshake, through bytes and the head parser, with no socket. */
class HandshakeRoundTripTest {

    /** A masked text frame "Hello" from RFC 6455 §5.7, as a client would send right after its request. */
    private static final byte[] CLIENT_FRAME = {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f,
            0x4d, 0x51, 0x58};
    /** The unmasked "Hello" a server might send right after its 101. */
    private static final byte[] SERVER_FRAME = {(byte) 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};

    private static ByteBuffer followedBy(ByteBuffer head, byte[] frame) {
        return ByteBuffer.allocate(head.remaining() + frame.length).put(head).put(frame).flip();
    }

    private static List<ExtensionParameters> parametersOf(List<Extension> extensions) {
        return extensions.stream().map(Extension::parameters).toList();
    }

    @Test
    void bothSidesAgreeOnTheSameThings() {
        WebSocketConfig clientConfig = WebSocketConfig.builder()
                .subprotocols(List.of("chat.v2", "chat.v1"))
                .extensions(List.of(
                        new FakeExtensionFactory("foo", Frame.RSV1).offering(
                                ExtensionParameters.of("foo").with("window", "10"), ExtensionParameters.of("foo")),
                        new FakeExtensionFactory("bar", Frame.RSV2),
                        new FakeExtensionFactory("unknown-to-server", Frame.RSV3)))
                .build();
        WebSocketConfig serverConfig = WebSocketConfig.builder()
                .subprotocols(List.of("chat.v1"))
                .extensions(List.of(
                        new FakeExtensionFactory("bar", Frame.RSV2),
                        new FakeExtensionFactory("foo", Frame.RSV1)))
                .build();
        HandshakeInterceptor cookie = (request, decision) -> {
            decision.header("Set-Cookie", "id=7");
            decision.attributes().put("user", "alice");
        };
        ClientHandshake client = new ClientHandshake(URI.create("ws://localhost:8080/chat?room=1"),
                Headers.of("Origin", "http://localhost"), clientConfig, new Random(1));
        ServerHandshake server = new ServerHandshake(serverConfig, List.of(cookie));

        ByteBuffer toServer = followedBy(client.requestBytes(), CLIENT_FRAME);
        HttpHeadParser requestParser = HttpHeadParser.forRequest(serverConfig.maxHandshakeHeadSize(), serverConfig.maxHandshakeHeaders());
        assertTrue(requestParser.parse(toServer));
        Accepted accepted = assertInstanceOf(Accepted.class, server.answer(requestParser.request()));

        ByteBuffer toClient = followedBy(accepted.responseBytes(), SERVER_FRAME);
        HttpHeadParser responseParser = HttpHeadParser.forResponse(clientConfig.maxHandshakeHeadSize(), clientConfig.maxHandshakeHeaders());
        assertTrue(responseParser.parse(toClient));
        Agreement onClient = client.accept(responseParser.response());
        Agreement onServer = accepted.agreement();

        assertEquals(client.request(), onServer.request(), "the server saw what the client sent");
        assertEquals(onServer.response(), onClient.response(), "the client saw what the server sent");
        assertEquals("chat.v1", onServer.subprotocol());
        assertEquals(onServer.subprotocol(), onClient.subprotocol());
        List<ExtensionParameters> expected = List.of(ExtensionParameters.of("foo").with("window", "10"), ExtensionParameters.of("bar"));
        assertEquals(expected, parametersOf(onServer.extensions()));
        assertEquals(expected, parametersOf(onClient.extensions()));
        assertEquals(Map.of("user", "alice"), onServer.attributes());
        assertEquals("id=7", onClient.response().header("Set-Cookie"));
        assertEquals(ByteBuffer.wrap(CLIENT_FRAME), toServer, "the client's first frame is left for the session");
        assertEquals(ByteBuffer.wrap(SERVER_FRAME), toClient, "the server's first frame is left for the session");
    }
}
