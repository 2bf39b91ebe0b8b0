package dev.weft.core.handshake;

import dev.weft.api.Frame;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeInterceptor;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.HandshakeResponse;
import dev.weft.api.handshake.Headers;
import dev.weft.core.extension.FakeExtensionFactory;
import dev.weft.core.handshake.ServerHandshake.Accepted;
import dev.weft.core.handshake.ServerHandshake.Rejected;
import dev.weft.core.handshake.ServerHandshake.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerHandshakeTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private static final WebSocketConfig PLAIN = config(List.of(), List.of());

    private static WebSocketConfig config(List<String> subprotocols, List<ExtensionFactory> extensions) {
        return WebSocketConfig.builder().subprotocols(subprotocols).extensions(extensions).build();
    }

    private static Headers.Builder validHeaders() {
        return Headers.builder()
                .add("Host", "server.example.com")
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Key", KEY)
                .add("Sec-WebSocket-Version", "13");
    }

    private static HandshakeRequest request(UnaryOperator<Headers.Builder> change) {
        return new HandshakeRequest("GET", "/chat", "HTTP/1.1", change.apply(validHeaders()).build());
    }

    private static HandshakeRequest valid() {
        return request(h -> h);
    }

    private static Accepted accepted(Result result) {
        return assertInstanceOf(Accepted.class, result, () -> ((Rejected) result).problem());
    }

    private static Rejected rejected(Result result) {
        return assertInstanceOf(Rejected.class, result);
    }

    @Test
    void answersAValidRequestWithTheExactResponse() {
        Accepted a = accepted(new ServerHandshake(PLAIN, List.of()).answer(valid()));

        assertEquals("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ACCEPT + "\r\n"
                + "\r\n", Wire.text(a.responseBytes()));
        assertEquals(valid(), a.agreement().request());
        assertEquals(Wire.readResponse(a.responseBytes()).response(), a.agreement().response());
        assertNull(a.agreement().subprotocol());
        assertEquals(List.of(), a.agreement().extensions());
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("valid", valid(), 101),
                Arguments.of("Connection: keep-alive, Upgrade", request(h -> h.set("Connection", "keep-alive, Upgrade")), 101),
                Arguments.of("Connection in two lines", request(h -> h.set("Connection", "keep-alive").add("Connection", "upgrade")), 101),
                Arguments.of("Upgrade: WebSocket", request(h -> h.set("Upgrade", "WebSocket")), 101),
                Arguments.of("Upgrade: h2c, websocket", request(h -> h.set("Upgrade", "h2c, websocket")), 101),
                Arguments.of("POST", new HandshakeRequest("POST", "/chat", "HTTP/1.1", validHeaders().build()), 405),
                Arguments.of("HTTP/1.0", new HandshakeRequest("GET", "/chat", "HTTP/1.0", validHeaders().build()), 400),
                Arguments.of("HTTP/2.0", new HandshakeRequest("GET", "/chat", "HTTP/2.0", validHeaders().build()), 400),
                Arguments.of("no Host", request(h -> h.remove("Host")), 400),
                Arguments.of("two Host", request(h -> h.add("Host", "other.example.com")), 400),
                Arguments.of("no Upgrade", request(h -> h.remove("Upgrade")), 400),
                Arguments.of("Upgrade: h2c", request(h -> h.set("Upgrade", "h2c")), 400),
                Arguments.of("Upgrade: websocket2", request(h -> h.set("Upgrade", "websocket2")), 400),
                Arguments.of("no Connection", request(h -> h.remove("Connection")), 400),
                Arguments.of("Connection: keep-alive", request(h -> h.set("Connection", "keep-alive")), 400),
                Arguments.of("Connection: Upgraded", request(h -> h.set("Connection", "Upgraded")), 400),
                Arguments.of("version 8", request(h -> h.set("Sec-WebSocket-Version", "8")), 426),
                Arguments.of("no version", request(h -> h.remove("Sec-WebSocket-Version")), 426),
                Arguments.of("two versions", request(h -> h.add("Sec-WebSocket-Version", "13")), 400),
                Arguments.of("no key", request(h -> h.remove("Sec-WebSocket-Key")), 400),
                Arguments.of("two keys", request(h -> h.add("Sec-WebSocket-Key", KEY)), 400),
                Arguments.of("15-byte key", request(h -> h.set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25j")), 400),
                Arguments.of("17-byte key", request(h -> h.set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZTE=")), 400),
                Arguments.of("non-base64 key", request(h -> h.set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ!!")), 400),
                Arguments.of("subprotocol not a token", request(h -> h.add("Sec-WebSocket-Protocol", "chat, a/b")), 400),
                Arguments.of("malformed extensions", request(h -> h.add("Sec-WebSocket-Extensions", "foo; =1")), 400));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("requests")
    void checksTheRequest(String name, HandshakeRequest request, int status) {
        Result result = new ServerHandshake(PLAIN, List.of()).answer(request);

        Wire.Sent sent = Wire.readResponse(result.responseBytes());
        assertEquals(status, sent.response().status());
        if (status == 101) {
            accepted(result);
            assertEquals(ACCEPT, sent.response().header("Sec-WebSocket-Accept"));
            return;
        }
        Rejected r = rejected(result);
        assertEquals(r.response(), sent.response());
        assertEquals("close", sent.response().header("Connection"));
        assertEquals("text/plain; charset=utf-8", sent.response().header("Content-Type"));
        assertEquals(Integer.toString(sent.body().getBytes(StandardCharsets.UTF_8).length), sent.response().header("Content-Length"));
        assertEquals(r.problem(), sent.body());
        assertFalse(sent.body().isEmpty());
        assertEquals(status == 426 ? "13" : null, sent.response().header("Sec-WebSocket-Version"));
        assertEquals(status == 405 ? "GET" : null, sent.response().header("Allow"));
    }

    @Test
    void choosesTheClientsMostPreferredConfiguredSubprotocol() {
        ServerHandshake server = new ServerHandshake(config(List.of("b", "a"), List.of()), List.of());

        Accepted a = accepted(server.answer(request(h -> h.add("Sec-WebSocket-Protocol", "a, b"))));
        Accepted c = accepted(server.answer(request(h -> h.add("Sec-WebSocket-Protocol", "c").add("Sec-WebSocket-Protocol", "b"))));

        assertEquals("a", a.agreement().subprotocol());
        assertEquals("a", a.agreement().response().header("Sec-WebSocket-Protocol"));
        assertEquals("b", c.agreement().subprotocol());
    }

    @Test
    void agreesNoSubprotocolWithoutOverlapAndSendsNoHeader() {
        ServerHandshake server = new ServerHandshake(config(List.of("a"), List.of()), List.of());
        ServerHandshake none = new ServerHandshake(PLAIN, List.of());

        for (Accepted a : List.of(
                accepted(server.answer(request(h -> h.add("Sec-WebSocket-Protocol", "c, d")))),
                accepted(server.answer(valid())),
                accepted(none.answer(request(h -> h.add("Sec-WebSocket-Protocol", "a")))))) {
            assertNull(a.agreement().subprotocol());
            assertFalse(Wire.readResponse(a.responseBytes()).response().headers().contains("Sec-WebSocket-Protocol"));
        }
    }

    @Test
    void anInterceptorRejectsAnOriginWith403AndABody() {
        HandshakeInterceptor originCheck = (request, decision) -> {
            if (!request.origin().orElse("").equals("https://good.example")) {
                decision.reject(403, "origin not allowed");
            }
        };
        ServerHandshake server = new ServerHandshake(PLAIN, List.of(originCheck));

        Rejected r = rejected(server.answer(request(h -> h.add("Origin", "https://evil.example"))));
        accepted(server.answer(request(h -> h.add("Origin", "https://good.example"))));

        Wire.Sent sent = Wire.readResponse(r.responseBytes());
        assertEquals(new HandshakeResponse(403, "Forbidden", Headers.of("Content-Type", "text/plain; charset=utf-8",
                "Content-Length", "18", "Connection", "close")), sent.response());
        assertEquals("origin not allowed", sent.body());
    }

    @Test
    void anInterceptorRejectsWith401AndAChallenge() {
        HandshakeInterceptor auth = (request, decision) ->
                decision.header("WWW-Authenticate", "Basic realm=\"chat\"").reject(401, "credentials required");

        Rejected r = rejected(new ServerHandshake(PLAIN, List.of(auth)).answer(valid()));

        Wire.Sent sent = Wire.readResponse(r.responseBytes());
        assertEquals(401, sent.response().status());
        assertEquals("Basic realm=\"chat\"", sent.response().header("WWW-Authenticate"));
        assertEquals("close", sent.response().header("Connection"));
        assertEquals("credentials required", sent.body());
    }

    @Test
    void theFirstRejectionEndsTheChain() {
        List<String> ran = new ArrayList<>();
        HandshakeInterceptor first = (request, decision) -> {
            ran.add("first");
            decision.reject(403, "no");
        };
        HandshakeInterceptor second = (request, decision) -> ran.add("second");

        rejected(new ServerHandshake(PLAIN, List.of(first, second)).answer(valid()));

        assertEquals(List.of("first"), ran);
    }

    @Test
    void anInterceptorPicksASubprotocolAddsHeadersAndAttributes() {
        HandshakeInterceptor interceptor = (request, decision) -> {
            decision.subprotocol("b");
            decision.header("Set-Cookie", "session=1");
            decision.attributes().put("user", "alice");
        };
        ServerHandshake server = new ServerHandshake(config(List.of("a"), List.of()), List.of(interceptor));

        Accepted a = accepted(server.answer(request(h -> h.add("Sec-WebSocket-Protocol", "a, b"))));

        HandshakeResponse sent = Wire.readResponse(a.responseBytes()).response();
        assertEquals("b", a.agreement().subprotocol());
        assertEquals("b", sent.header("Sec-WebSocket-Protocol"));
        assertEquals("session=1", sent.header("Set-Cookie"));
        assertEquals(Map.of("user", "alice"), a.agreement().attributes());
    }

    @Test
    void aThrowingInterceptorBecomes500() {
        HandshakeInterceptor broken = (request, decision) -> {
            throw new IllegalStateException("database down");
        };

        Rejected r = rejected(new ServerHandshake(PLAIN, List.of(broken)).answer(valid()));

        Wire.Sent sent = Wire.readResponse(r.responseBytes());
        assertEquals(500, sent.response().status());
        assertEquals("close", sent.response().header("Connection"));
        assertFalse(sent.body().contains("database down"), "internal details stay in the log");
    }

    @Test
    void anInterceptorMayNotWriteTheHandshakesOwnHeaders() {
        for (String name : List.of("Sec-WebSocket-Accept", "sec-websocket-protocol", "Upgrade", "Content-Length")) {
            HandshakeInterceptor meddling = (request, decision) -> decision.header(name, "x");

            Rejected r = rejected(new ServerHandshake(PLAIN, List.of(meddling)).answer(valid()));

            assertEquals(500, r.response().status(), name);
        }
    }

    @Test
    void negotiatesExtensionsAndListsThemInOneHeader() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", Frame.RSV1);
        FakeExtensionFactory bar = new FakeExtensionFactory("bar", Frame.RSV2);
        ServerHandshake server = new ServerHandshake(config(List.of(), List.of(foo, bar)), List.of());

        Accepted a = accepted(server.answer(request(h -> h
                .add("Sec-WebSocket-Extensions", "bar, foo; x=1")
                .add("Sec-WebSocket-Extensions", "foo; x=2"))));

        assertEquals(List.of(ExtensionParameters.of("bar"), ExtensionParameters.of("foo").with("x", "1")),
                a.agreement().extensions().stream().map(Extension::parameters).toList());
        assertEquals(List.of("bar, foo; x=1"), Wire.readResponse(a.responseBytes()).response().headers().all("Sec-WebSocket-Extensions"));
    }

    @Test
    void extensionsAreNotMadeForARejectedRequest() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", Frame.RSV1);
        HandshakeInterceptor deny = (request, decision) -> decision.reject(403, "no");

        rejected(new ServerHandshake(config(List.of(), List.of(foo)), List.of(deny))
                .answer(request(h -> h.add("Sec-WebSocket-Extensions", "foo"))));

        assertEquals(List.of(), foo.made());
    }

    @Test
    void extensionsAreClosedWhenTheResponseCannotBeBuilt() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", Frame.RSV1);
        // Attributes are copied into an immutable map, which refuses null values.
        HandshakeInterceptor nullAttribute = (request, decision) -> decision.attributes().put("user", null);

        Rejected r = rejected(new ServerHandshake(config(List.of(), List.of(foo)), List.of(nullAttribute))
                .answer(request(h -> h.add("Sec-WebSocket-Extensions", "foo"))));

        assertEquals(500, r.response().status());
        assertEquals(1, foo.made().get(0).closes());
    }

    @Test
    void writesAnErrorResponseForAFailedHead() {
        assertEquals("HTTP/1.1 431 Request Header Fields Too Large\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 15\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + "head too large\n", Wire.text(ServerHandshake.errorResponse(431, "head too large\n")));
        assertEquals("caf\u00c3\u00a9", Wire.text(ServerHandshake.errorResponse(400, "caf\u00e9")).split("\r\n\r\n")[1],
                "the body is UTF-8");
        assertThrows(IllegalArgumentException.class, () -> ServerHandshake.errorResponse(200, "fine"));
    }
}
