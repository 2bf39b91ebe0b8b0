package dev.weft.core.handshake;

import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.HandshakeResponse;
import dev.weft.api.handshake.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpHeadParserTest {

    // The opening handshake of RFC 6455 §1.2, with OWS variations around the values.
    private static final String REQUEST = "GET /chat?room=a HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade:websocket\r\n"
            + "Connection: Upgrade \t\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Origin: http://example.com\r\n"
            + "Sec-WebSocket-Protocol: chat, superchat\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "X-Empty:\r\n"
            + "\r\n";

    private static final String RESPONSE = "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "Sec-WebSocket-Protocol: chat\r\n"
            + "\r\n";

    /** An unmasked text frame "Hello" (RFC 6455 §5.7): it must survive the head's parsing. */
    private static final byte[] FRAME = {(byte) 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};

    private static final HandshakeRequest EXPECTED_REQUEST = new HandshakeRequest("GET", "/chat?room=a", "HTTP/1.1",
            Headers.of("Host", "server.example.com", "Upgrade", "websocket", "Connection", "Upgrade",
                    "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Origin", "http://example.com",
                    "Sec-WebSocket-Protocol", "chat, superchat", "Sec-WebSocket-Version", "13", "X-Empty", ""));

    private static final HandshakeResponse EXPECTED_RESPONSE = new HandshakeResponse(101, "Switching Protocols",
            Headers.of("Upgrade", "websocket", "Connection", "Upgrade",
                    "Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "Sec-WebSocket-Protocol", "chat"));

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static HttpHeadParser requestParser() {
        return HttpHeadParser.forRequest(16 * 1024, 100);
    }

    private static HttpHeadParser responseParser() {
        return HttpHeadParser.forResponse(16 * 1024, 100);
    }

    private static HandshakeRequest parseRequest(String head) {
        HttpHeadParser p = requestParser();
        assertTrue(p.parse(ByteBuffer.wrap(latin1(head))));
        return p.request();
    }

    private static HandshakeException requestFailure(String head) {
        return assertThrows(HandshakeException.class, () -> requestParser().parse(ByteBuffer.wrap(latin1(head))));
    }

    @Test
    void parsesAWholeRequest() {
        ByteBuffer in = ByteBuffer.wrap(latin1(REQUEST));
        HttpHeadParser p = requestParser();

        assertTrue(p.parse(in));

        assertEquals(EXPECTED_REQUEST, p.request());
        assertFalse(in.hasRemaining());
    }

    @Test
    void parsesAWholeResponse() {
        ByteBuffer in = ByteBuffer.wrap(latin1(RESPONSE));
        HttpHeadParser p = responseParser();

        assertTrue(p.parse(in));

        assertEquals(EXPECTED_RESPONSE, p.response());
        assertFalse(in.hasRemaining());
    }

    static Stream<Arguments> heads() {
        return Stream.of(
                Arguments.of("request", REQUEST, (Supplier<HttpHeadParser>) HttpHeadParserTest::requestParser),
                Arguments.of("response", RESPONSE, (Supplier<HttpHeadParser>) HttpHeadParserTest::responseParser));
    }

    private static Object result(HttpHeadParser p, String kind) {
        return kind.equals("request") ? p.request() : p.response();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void parsesAHeadSplitAtEveryByteAndKeepsTheFrameAfterIt(String kind, String head, Supplier<HttpHeadParser> parsers) {
        byte[] wire = concat(latin1(head), FRAME);
        Object expected = kind.equals("request") ? EXPECTED_REQUEST : EXPECTED_RESPONSE;
        int headLength = wire.length - FRAME.length;
        for (int split = 0; split <= wire.length; split++) {
            HttpHeadParser p = parsers.get();
            ByteBuffer first = ByteBuffer.wrap(wire, 0, split);
            ByteBuffer second = ByteBuffer.wrap(wire, split, wire.length - split);

            boolean doneEarly = p.parse(first);
            assertEquals(split >= headLength, doneEarly, "split at " + split);
            if (doneEarly) {
                assertEquals(headLength, first.position(), "the parser stops at the end of the head");
                assertTrue(p.parse(second), "a complete parser stays complete");
                assertEquals(split, second.position(), "a complete parser consumes nothing more");
            } else {
                assertTrue(p.parse(second), "split at " + split);
                assertEquals(headLength, second.position(), "the frame after the head stays in the buffer");
            }
            assertEquals(expected, result(p, kind), "split at " + split);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void parsesAHeadFedOneByteAtATime(String kind, String head, Supplier<HttpHeadParser> parsers) {
        byte[] wire = concat(latin1(head), FRAME);
        int headLength = wire.length - FRAME.length;
        HttpHeadParser p = parsers.get();
        for (int i = 0; i < headLength; i++) {
            ByteBuffer one = ByteBuffer.wrap(wire, i, 1);
            assertEquals(i == headLength - 1, p.parse(one), "byte " + i);
            assertFalse(one.hasRemaining());
        }
        ByteBuffer frame = ByteBuffer.wrap(wire, headLength, FRAME.length);
        assertTrue(p.parse(frame));
        assertEquals(ByteBuffer.wrap(FRAME), frame, "the frame is left untouched");
        assertEquals(kind.equals("request") ? EXPECTED_REQUEST : EXPECTED_RESPONSE, result(p, kind));
    }

    @Test
    void acceptsBareLfLineEndings() {
        assertEquals(EXPECTED_REQUEST, parseRequest(REQUEST.replace("\r\n", "\n")));
    }

    @Test
    void skipsEmptyLinesBeforeTheRequestLine() {
        assertEquals(EXPECTED_REQUEST, parseRequest("\r\n\n" + REQUEST));
    }

    @Test
    void keepsObsTextInValues() {
        HandshakeRequest r = parseRequest("GET / HTTP/1.1\r\nX-Name: caf\u00e9\r\n\r\n");
        assertEquals("caf\u00e9", r.header("X-Name").orElseThrow());
    }

    @Test
    void unfoldsFoldedResponseFields() {
        HttpHeadParser p = responseParser();
        assertTrue(p.parse(ByteBuffer.wrap(latin1("HTTP/1.1 101 Switching Protocols\r\n"
                + "Connection: keep-alive,\r\n"
                + " \t Upgrade\r\n"
                + "Upgrade:\r\n"
                + "\twebsocket \r\n"
                + "\r\n"))));

        assertEquals(Headers.of("Connection", "keep-alive, Upgrade", "Upgrade", "websocket"), p.response().headers());
    }

    @Test
    void takesAStatusLineWithoutReason() {
        for (String line : new String[] {"HTTP/1.1 101", "HTTP/1.1 101 "}) {
            HttpHeadParser p = responseParser();
            assertTrue(p.parse(ByteBuffer.wrap(latin1(line + "\r\n\r\n"))));
            assertEquals(new HandshakeResponse(101, "", Headers.empty()), p.response());
        }
    }

    @Test
    void refusesAHeadLargerThanTheLimitWith431() {
        String head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        HttpHeadParser exact = HttpHeadParser.forRequest(head.length(), 100);
        assertTrue(exact.parse(ByteBuffer.wrap(latin1(head))));

        HttpHeadParser tooSmall = HttpHeadParser.forRequest(head.length() - 1, 100);
        HandshakeException e = assertThrows(HandshakeException.class, () -> tooSmall.parse(ByteBuffer.wrap(latin1(head))));
        assertEquals(431, e.status());
    }

    @Test
    void refusesMoreHeaderFieldsThanTheLimitWith431() {
        String head = "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
        assertTrue(HttpHeadParser.forRequest(1024, 3).parse(ByteBuffer.wrap(latin1(head))));

        HandshakeException e = assertThrows(HandshakeException.class,
                () -> HttpHeadParser.forRequest(1024, 2).parse(ByteBuffer.wrap(latin1(head))));
        assertEquals(431, e.status());
    }

    @Test
    void responseLimitsFailWithStatusZero() {
        HandshakeException size = assertThrows(HandshakeException.class,
                () -> HttpHeadParser.forResponse(10, 100).parse(ByteBuffer.wrap(latin1(RESPONSE))));
        assertEquals(0, size.status());
        HandshakeException count = assertThrows(HandshakeException.class,
                () -> HttpHeadParser.forResponse(1024, 2).parse(ByteBuffer.wrap(latin1(RESPONSE))));
        assertEquals(0, count.status());
    }

    static Stream<Arguments> malformedRequests() {
        String requestLine = "not 'method SP target SP version'";
        String controlInX = "control character in the value of header X";
        return Stream.of(
                Arguments.of("two spaces after the method", "GET  / HTTP/1.1\r\n\r\n", requestLine),
                Arguments.of("no version", "GET /\r\n\r\n", requestLine),
                Arguments.of("a fourth word", "GET / HTTP/1.1 x\r\n\r\n", requestLine),
                Arguments.of("tab as separator", "GET\t/ HTTP/1.1\r\n\r\n", requestLine),
                Arguments.of("method not a token", "G(T / HTTP/1.1\r\n\r\n", "method is not a token"),
                Arguments.of("lower-case version", "GET / http/1.1\r\n\r\n", "HTTP version"),
                Arguments.of("version without minor", "GET / HTTP/1\r\n\r\n", "HTTP version"),
                Arguments.of("non-ASCII in the target", "GET /caf\u00e9 HTTP/1.1\r\n\r\n", "request target"),
                Arguments.of("control character in the target", "GET /\u0001 HTTP/1.1\r\n\r\n", "request target"),
                Arguments.of("header line without colon", "GET / HTTP/1.1\r\nHost example\r\n\r\n", "without a colon"),
                Arguments.of("empty header name", "GET / HTTP/1.1\r\n: x\r\n\r\n", "empty name"),
                Arguments.of("header name not a token", "GET / HTTP/1.1\r\nHo(st: x\r\n\r\n", "header name is not a token"),
                Arguments.of("space between name and colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", "whitespace between a header name and its colon"),
                Arguments.of("tab between name and colon", "GET / HTTP/1.1\r\nHost\t: x\r\n\r\n", "whitespace between a header name and its colon"),
                Arguments.of("obsolete line folding", "GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", "obsolete line folding"),
                Arguments.of("whitespace before the first field", "GET / HTTP/1.1\r\n X: a\r\n\r\n", "whitespace between the request line and the first header field"),
                Arguments.of("control character in a value", "GET / HTTP/1.1\r\nX: a\u0001b\r\n\r\n", controlInX),
                Arguments.of("NUL in a value", "GET / HTTP/1.1\r\nX: a\u0000b\r\n\r\n", controlInX),
                Arguments.of("DEL in a value", "GET / HTTP/1.1\r\nX: a\u007fb\r\n\r\n", controlInX),
                Arguments.of("bare CR in a value", "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", "bare CR"),
                Arguments.of("bare CR in the request line", "GET /\r HTTP/1.1\r\n\r\n", "bare CR"),
                Arguments.of("CR CR LF", "GET / HTTP/1.1\r\r\n\r\n", "bare CR"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void refusesMalformedRequestsWith400(String problem, String head, String message) {
        HandshakeException e = requestFailure(head);

        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/1.1 10 Short\r\n\r\n",
            "HTTP/1.1 1011 Long\r\n\r\n",
            "HTTP/1.1 abc Letters\r\n\r\n",
            "HTTP/1.1  101 Two spaces\r\n\r\n",
            "ICY 200 OK\r\n\r\n",
            "HTTP/1.1 101 Bad\u0001reason\r\n\r\n",
            "\r\nHTTP/1.1 101 Switching Protocols\r\n\r\n",
            "HTTP/1.1 101 Switching Protocols\r\n Upgrade: websocket\r\n\r\n",
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade : websocket\r\n\r\n",
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: web\u0000socket\r\n\r\n",
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\t\u0001\r\n\r\n",
    })
    void refusesMalformedResponsesWithStatusZero(String head) {
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> responseParser().parse(ByteBuffer.wrap(latin1(head))));
        assertEquals(0, e.status());
    }

    @Test
    void resultsAreOnlyAvailableFromACompleteHeadOfTheirKind() {
        HttpHeadParser request = requestParser();
        request.parse(ByteBuffer.wrap(latin1("GET / HTTP/1.1\r\n")));
        assertThrows(IllegalStateException.class, request::request);
        request.parse(ByteBuffer.wrap(latin1("\r\n")));
        assertThrows(IllegalStateException.class, request::response);

        HttpHeadParser response = responseParser();
        response.parse(ByteBuffer.wrap(latin1(RESPONSE)));
        assertThrows(IllegalStateException.class, response::request);
    }
}
