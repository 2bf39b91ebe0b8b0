package dev.weft.core.handshake;

import dev.weft.api.Frame;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.Headers;
import dev.weft.api.handshake.HttpResponses;
import dev.weft.core.extension.FakeExtension;
import dev.weft.core.extension.FakeExtensionFactory;
import dev.weft.core.handshake.ServerOpening.Answer;
import dev.weft.core.handshake.ServerOpening.Endpoint;
import dev.weft.core.handshake.ServerOpening.NeedMore;
import dev.weft.core.handshake.ServerOpening.Open;
import dev.weft.core.handshake.ServerOpening.Refuse;
import dev.weft.core.handshake.ServerOpening.Step;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerOpeningTest {

    private static final String REQUEST = "GET /chat HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";
    private static final String SWITCHING = "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "\r\n";
    /** A masked text frame "Hello" (RFC 6455 §5.7), as a client pipelines it behind its request. */
    private static final byte[] CLIENT_FRAME = {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f,
            (byte) 0x9f, 0x4d, 0x51, 0x58};

    private static final WebSocketConfig PLAIN = WebSocketConfig.builder().extensions(List.of()).build();
    private static final WebSocketHandler HANDLER = new WebSocketHandler() {
    };

    private final List<HandshakeRequest> routed = new ArrayList<>();

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static byte[] remaining(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static String errorResponse(String status, String body) {
        return "HTTP/1.1 " + status + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + body;
    }

    private ServerOpening driver(WebSocketConfig config, Function<HandshakeRequest, ? extends WebSocketHandler> handlers) {
        Endpoint endpoint = new Endpoint("/chat", new ServerHandshake(config, List.of()), config, handlers);
        return new ServerOpening(config, request -> {
            routed.add(request);
            return endpoint;
        }, "test peer");
    }

    private ServerOpening driver() {
        return driver(PLAIN, request -> HANDLER);
    }

    @Test
    void opensOnAWholeRequestAndKeepsTheFramesBehindIt() {
        ServerOpening opening = driver();
        ByteBuffer in = ByteBuffer.wrap(concat(bytes(REQUEST), CLIENT_FRAME));

        Open open = assertInstanceOf(Open.class, opening.feed(in));

        assertEquals(SWITCHING, Wire.text(open.responseBytes()));
        assertArrayEquals(CLIENT_FRAME, remaining(open.leftover()));
        assertFalse(in.hasRemaining(), "the driver took the buffer; the rest is the leftover");
        assertSame(HANDLER, open.handler());
        assertEquals("/chat", open.agreement().request().path());
        assertEquals("/chat", open.endpoint().name());
        assertEquals(1, routed.size());
    }

    @Test
    void opensWithNoLeftoverWhenNothingFollowsTheHead() {
        Open open = assertInstanceOf(Open.class, driver().feed(ByteBuffer.wrap(bytes(REQUEST))));

        assertFalse(open.leftover().hasRemaining());
    }

    @Test
    void needsMoreUntilTheLastByteOfTheHeadFedOneByOne() {
        ServerOpening opening = driver();
        byte[] request = bytes(REQUEST);
        for (int i = 0; i < request.length - 1; i++) {
            ByteBuffer one = ByteBuffer.wrap(request, i, 1);
            assertInstanceOf(NeedMore.class, opening.feed(one));
            assertFalse(one.hasRemaining(), "byte " + i + " taken");
        }
        assertTrue(routed.isEmpty(), "no routing before the head is complete");

        ByteBuffer last = ByteBuffer.wrap(concat(new byte[] {request[request.length - 1]}, CLIENT_FRAME));
        Open open = assertInstanceOf(Open.class, opening.feed(last));

        assertEquals(SWITCHING, Wire.text(open.responseBytes()));
        assertArrayEquals(CLIENT_FRAME, remaining(open.leftover()));
    }

    @Test
    void losesNoByteAtAnySplit() {
        byte[] stream = concat(bytes(REQUEST), CLIENT_FRAME);
        for (int split = 0; split <= stream.length; split++) {
            ServerOpening opening = driver();
            ByteBuffer first = ByteBuffer.wrap(stream, 0, split);
            ByteBuffer second = ByteBuffer.wrap(stream, split, stream.length - split);
            Step step = opening.feed(first);
            byte[] afterHead;
            if (step instanceof Open open) {
                // The head ended in the first chunk: what follows it there, then the second chunk.
                afterHead = concat(remaining(open.leftover()), remaining(second));
            } else {
                assertInstanceOf(NeedMore.class, step, "split " + split);
                afterHead = remaining(assertInstanceOf(Open.class, opening.feed(second), "split " + split).leftover());
            }
            assertArrayEquals(CLIENT_FRAME, afterHead, "split " + split);
        }
    }

    @Test
    void refusesAMalformedHeadWith400AndNeverRoutesIt() {
        ServerOpening opening = driver();
        ByteBuffer in = ByteBuffer.wrap(bytes("GET /chat HTTP/1.1\r\nHost : server.example.com\r\n\r\nmore"));

        Refuse refuse = assertInstanceOf(Refuse.class, opening.feed(in));

        assertEquals(errorResponse("400 Bad Request", "whitespace between a header name and its colon"),
                Wire.text(refuse.responseBytes()));
        assertEquals(400, refuse.status());
        assertEquals("whitespace between a header name and its colon", refuse.problem());
        assertFalse(in.hasRemaining(), "a refusal takes every byte fed");
        assertTrue(routed.isEmpty());
    }

    @Test
    void refusesARequestThatBreaksRfc6455With400() {
        String noKey = REQUEST.replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "");

        Refuse refuse = assertInstanceOf(Refuse.class, driver().feed(ByteBuffer.wrap(bytes(noKey))));

        assertEquals(errorResponse("400 Bad Request", "the Sec-WebSocket-Key header is missing"),
                Wire.text(refuse.responseBytes()));
        assertEquals(400, refuse.status());
    }

    @Test
    void refusesWhatTheRouterAnswersWithItsBytes() {
        ServerOpening opening = new ServerOpening(PLAIN, request -> {
            routed.add(request);
            return Answer.error(404, "no WebSocket endpoint at " + request.path());
        }, "test peer");

        Refuse refuse = assertInstanceOf(Refuse.class,
                opening.feed(ByteBuffer.wrap(bytes(REQUEST.replace("/chat", "/nowhere")))));

        assertEquals(errorResponse("404 Not Found", "no WebSocket endpoint at /nowhere"),
                Wire.text(refuse.responseBytes()));
        assertEquals(404, refuse.status());
        assertEquals("/nowhere", routed.get(0).path());
    }

    @Test
    void passesAPlainHttpAnswerThroughUntouched() {
        ByteBuffer page = HttpResponses.of(200, Headers.of("Content-Length", "2"), bytes("hi"));
        ServerOpening opening = new ServerOpening(PLAIN, request -> new Answer(page, 0, "plain HTTP"), "peer");

        Refuse refuse = assertInstanceOf(Refuse.class,
                opening.feed(ByteBuffer.wrap(bytes("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n"))));

        assertSame(page, refuse.responseBytes());
        assertEquals(0, refuse.status());
    }

    @Test
    void answers500AndClosesTheAgreedExtensionsWhenTheHandlerFactoryThrows() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", Frame.RSV1);
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of(foo)).build();
        ServerOpening opening = driver(config, request -> {
            throw new IllegalStateException("no handler today");
        });
        String offer = REQUEST.replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: foo\r\n\r\n");

        Refuse refuse = assertInstanceOf(Refuse.class, opening.feed(ByteBuffer.wrap(bytes(offer))));

        assertEquals(errorResponse("500 Internal Server Error", "the server failed to accept the connection"),
                Wire.text(refuse.responseBytes()));
        assertEquals(500, refuse.status());
        assertEquals(1, foo.made().size(), "the extension was agreed before the factory ran");
        for (FakeExtension made : foo.made()) {
            assertEquals(1, made.closes());
        }
    }

    @Test
    void refusesAHeadOverItsSizeLimitWith431() {
        WebSocketConfig small = WebSocketConfig.builder().extensions(List.of()).maxHandshakeHeadSize(256).build();
        String big = REQUEST.replace("\r\n\r\n", "\r\nX-Padding: " + "a".repeat(300) + "\r\n\r\n");

        Refuse refuse = assertInstanceOf(Refuse.class, driver(small, r -> HANDLER).feed(ByteBuffer.wrap(bytes(big))));

        assertEquals(errorResponse("431 Request Header Fields Too Large", "the head is larger than 256 bytes"),
                Wire.text(refuse.responseBytes()));
        assertEquals(431, refuse.status());
    }

    @Test
    void refusesAHeadWithTooManyFieldsWith431() {
        WebSocketConfig few = WebSocketConfig.builder().extensions(List.of()).maxHandshakeHeaders(8).build();
        String many = REQUEST.replace("\r\n\r\n", "\r\nX-1: a\r\nX-2: b\r\nX-3: c\r\nX-4: d\r\n\r\n");

        Refuse refuse = assertInstanceOf(Refuse.class, driver(few, r -> HANDLER).feed(ByteBuffer.wrap(bytes(many))));

        assertEquals(errorResponse("431 Request Header Fields Too Large", "more than 8 header fields"),
                Wire.text(refuse.responseBytes()));
    }

    @Test
    void refusesToBeFedAfterItsFinalStep() {
        ServerOpening opened = driver();
        opened.feed(ByteBuffer.wrap(bytes(REQUEST)));
        ServerOpening refused = driver();
        refused.feed(ByteBuffer.wrap(bytes("nonsense\r\n\r\n")));

        assertThrows(IllegalStateException.class, () -> opened.feed(ByteBuffer.wrap(CLIENT_FRAME)));
        assertThrows(IllegalStateException.class, () -> refused.feed(ByteBuffer.wrap(CLIENT_FRAME)));
    }

    @Test
    void tellsAWebSocketOfferFromPlainHttp() {
        assertTrue(ServerOpening.asksForWebSocket(request(Headers.of("Upgrade", "h2c, WebSocket"))));
        assertFalse(ServerOpening.asksForWebSocket(request(Headers.of("Upgrade", "h2c"))));
        assertFalse(ServerOpening.asksForWebSocket(request(Headers.empty())));
    }

    private static HandshakeRequest request(Headers headers) {
        return new HandshakeRequest("GET", "/", "HTTP/1.1", headers);
    }
}
