package dev.weft.core.handshake;

import dev.weft.api.Frame;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.HandshakeResponse;
import dev.weft.api.handshake.Headers;
import dev.weft.core.extension.FakeExtension;
import dev.weft.core.extension.FakeExtensionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientHandshakeTest {

    private static final long SEED = 6455;
    private static final WebSocketConfig PLAIN = config(List.of(), List.of());

    private static WebSocketConfig config(List<String> subprotocols, List<ExtensionFactory> extensions) {
        return WebSocketConfig.builder().subprotocols(subprotocols).extensions(extensions).build();
    }

    private static ClientHandshake client(String uri) {
        return new ClientHandshake(URI.create(uri), Headers.empty(), PLAIN, new Random(SEED));
    }

    @Test
    void writesTheRequest() {
        String key = AcceptKey.newKey(new Random(SEED));
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", Frame.RSV1)
                .offering(ExtensionParameters.of("foo").with("x", "1"), ExtensionParameters.of("foo"));
        FakeExtensionFactory bar = new FakeExtensionFactory("bar", Frame.RSV2);
        ClientHandshake client = new ClientHandshake(URI.create("ws://server.example.com/chat?room=a"),
                Headers.of("Origin", "http://example.com"),
                config(List.of("chat", "superchat"), List.of(foo, bar)), new Random(SEED));

        assertEquals("GET /chat?room=a HTTP/1.1\r\n"
                + "Host: server.example.com\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                + "Sec-WebSocket-Extensions: foo; x=1, foo, bar\r\n"
                + "Origin: http://example.com\r\n"
                + "\r\n", Wire.text(client.requestBytes()));
        assertEquals(Wire.text(client.requestBytes()), Wire.text(client.requestBytes()), "each call gives the whole request");
    }

    @Test
    void leavesOutOptionalHeadersWhenThereIsNothingToOffer() {
        Headers h = client("ws://h/").request().headers();

        assertFalse(h.contains("Sec-WebSocket-Protocol"));
        assertFalse(h.contains("Sec-WebSocket-Extensions"));
        assertFalse(h.contains("Authorization"));
        assertEquals(5, h.size());
    }

    @ParameterizedTest
    @CsvSource({
            "ws://example.com/,            example.com",
            "ws://example.com:80/,         example.com",
            "ws://example.com:8080/,       example.com:8080",
            "wss://example.com:443/,       example.com",
            "wss://example.com:80/,        example.com:80",
            "http://example.com:80/,       example.com",
            "https://example.com:8443/,    example.com:8443",
            "WSS://example.com/,           example.com",
            "ws://[::1]/,                  [::1]",
            "ws://[2001:db8::1]:9000/,     [2001:db8::1]:9000",
            "wss://127.0.0.1:443/,         127.0.0.1",
    })
    void writesHostWithThePortOnlyWhenItIsNotTheDefault(String uri, String host) {
        assertEquals(host, client(uri).request().header("Host").orElseThrow());
    }

    @ParameterizedTest
    @CsvSource({
            "ws://h,                         /",
            "ws://h/,                        /",
            "ws://h/a/b,                     /a/b",
            "ws://h/a/b?x=1&y=2,             /a/b?x=1&y=2",
            "ws://h?x,                       /?x",
            "ws://h/a?,                      /a",
            "ws://h/a%20b?q=%2F,             /a%20b?q=%2F",
            "ws://h/caf\u00e9?q=\u00e9,      /caf%C3%A9?q=%C3%A9",
    })
    void sendsTheResourceName(String uri, String target) {
        HandshakeRequest request = client(uri).request();

        assertEquals(target, request.target());
        assertTrue(Wire.text(client(uri).requestBytes()).startsWith("GET " + target + " HTTP/1.1\r\n"));
    }

    @Test
    void turnsUserInfoIntoBasicAuthorization() {
        HandshakeRequest request = client("ws://al%40ice:se:cret@h/").request();

        String credentials = "al@ice:se:cret";
        assertEquals("Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)),
                request.header("Authorization").orElseThrow());
        assertEquals("h", request.header("Host").orElseThrow());
    }

    @Test
    void keepsTheCallersAuthorization() {
        ClientHandshake client = new ClientHandshake(URI.create("ws://user:pw@h/"),
                Headers.of("Authorization", "Bearer t"), PLAIN, new Random(SEED));

        assertEquals(List.of("Bearer t"), client.request().headers().all("Authorization"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws://h/#frag", "ws://h/a#", "ftp://h/", "h/path", "ws:/path", "ws:opaque", "ws://a_b/"})
    void refusesUrisThatAreNotWebSocketUris(String uri) {
        assertThrows(IllegalArgumentException.class, () -> client(uri));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
            "Sec-WebSocket-Extensions", "sec-websocket-protocol"})
    void refusesExtraHeadersTheHandshakeWrites(String name) {
        assertThrows(IllegalArgumentException.class,
                () -> new ClientHandshake(URI.create("ws://h/"), Headers.of(name, "x"), PLAIN, new Random(SEED)));
    }

    @Test
    void refusesASubprotocolThatIsNotAToken() {
        assertThrows(IllegalArgumentException.class, () -> new ClientHandshake(URI.create("ws://h/"), Headers.empty(),
                config(List.of("a b"), List.of()), new Random(SEED)));
    }

    // --- Response validation ---

    private static final class Attempt {
        final FakeExtensionFactory foo = new FakeExtensionFactory("foo", Frame.RSV1);
        final FakeExtensionFactory bar = new FakeExtensionFactory("bar", Frame.RSV2);
        final FakeExtensionFactory sameBit = new FakeExtensionFactory("same-bit", Frame.RSV1);
        final FakeExtensionFactory picky = new FakeExtensionFactory("picky", Frame.RSV3).refusingResponses();
        final FakeExtensionFactory silent = new FakeExtensionFactory("silent", 0).offering();
        final ClientHandshake client;

        Attempt(List<String> subprotocols) {
            client = new ClientHandshake(URI.create("ws://h/"), Headers.empty(),
                    config(subprotocols, List.of(foo, bar, sameBit, picky, silent)), new Random(SEED));
        }

        String accept() {
            return AcceptKey.forKey(client.request().header("Sec-WebSocket-Key").orElseThrow());
        }

        Headers.Builder validHeaders() {
            return Headers.builder().add("Upgrade", "websocket").add("Connection", "Upgrade").add("Sec-WebSocket-Accept", accept());
        }

        List<FakeExtension> made() {
            return Stream.of(foo, bar, sameBit, picky, silent).flatMap(f -> f.made().stream()).toList();
        }
    }

    private static HandshakeResponse switching(Attempt attempt, UnaryOperator<Headers.Builder> change) {
        return new HandshakeResponse(101, "Switching Protocols", change.apply(attempt.validHeaders()).build());
    }

    @Test
    void acceptsAValidResponse() {
        Attempt attempt = new Attempt(List.of("chat", "superchat"));
        HandshakeResponse response = switching(attempt, h -> h
                .add("Sec-WebSocket-Protocol", "superchat")
                .add("Sec-WebSocket-Extensions", "bar, foo; x=1"));

        Agreement agreement = attempt.client.accept(response);

        assertEquals(attempt.client.request(), agreement.request());
        assertEquals(response, agreement.response());
        assertEquals("superchat", agreement.subprotocol());
        assertEquals(List.of(ExtensionParameters.of("bar"), ExtensionParameters.of("foo").with("x", "1")),
                agreement.extensions().stream().map(Extension::parameters).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Upgrade: WebSocket", "Connection: keep-alive, upgrade", "Sec-WebSocket-Accept: ACCEPT\t"})
    void acceptsVariantsTheRfcAllows(String header) {
        Attempt attempt = new Attempt(List.of());
        String[] nameValue = header.split(": ");
        String value = nameValue[1].replace("ACCEPT", attempt.accept());

        Agreement agreement = attempt.client.accept(switching(attempt, h -> h.set(nameValue[0], value)));

        assertNull(agreement.subprotocol());
        assertEquals(List.of(), agreement.extensions());
    }

    @Test
    void reportsAStatusOtherThan101WithThatStatus() {
        Attempt attempt = new Attempt(List.of());

        HandshakeException e = assertThrows(HandshakeException.class, () -> attempt.client.accept(
                new HandshakeResponse(403, "Forbidden", Headers.of("Content-Length", "0"))));

        assertEquals(403, e.status());
        assertEquals("server answered 403 Forbidden", e.getMessage());
    }

    private static Arguments bad(String name, UnaryOperator<Headers.Builder> change, String named) {
        return Arguments.of(name, change, named);
    }

    static Stream<Arguments> badResponses() {
        String ext = "Sec-WebSocket-Extensions";
        return Stream.of(
                bad("wrong accept", h -> h.set("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), "Sec-WebSocket-Accept"),
                bad("missing accept", h -> h.remove("Sec-WebSocket-Accept"), "Sec-WebSocket-Accept"),
                bad("missing upgrade", h -> h.remove("Upgrade"), "Upgrade"),
                bad("wrong upgrade", h -> h.set("Upgrade", "h2c"), "Upgrade"),
                bad("missing connection", h -> h.remove("Connection"), "Connection"),
                bad("wrong connection", h -> h.set("Connection", "close"), "Connection"),
                bad("unoffered subprotocol", h -> h.add("Sec-WebSocket-Protocol", "other"), "not offered"),
                bad("two subprotocols", h -> h.add("Sec-WebSocket-Protocol", "chat").add("Sec-WebSocket-Protocol", "chat"),
                        "Sec-WebSocket-Protocol"),
                bad("unoffered extension", h -> h.add(ext, "foo, baz"), "baz"),
                bad("extension without an offer", h -> h.add(ext, "silent"), "silent"),
                bad("duplicated extension", h -> h.add(ext, "foo, foo"), "twice"),
                bad("RSV conflict", h -> h.add(ext, "foo, same-bit"), "RSV1"),
                bad("factory refuses", h -> h.add(ext, "foo, picky; x=2"), "picky"),
                bad("malformed extensions", h -> h.add(ext, "foo;"), "malformed"),
                bad("two extension headers", h -> h.add(ext, "foo").add(ext, "bar"), ext));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badResponses")
    void refusesABadResponseAndClosesWhatItMade(String name, UnaryOperator<Headers.Builder> change, String named) {
        Attempt attempt = new Attempt(List.of("chat"));

        HandshakeException e = assertThrows(HandshakeException.class, () -> attempt.client.accept(switching(attempt, change)));

        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains(named), e.getMessage());
        for (FakeExtension made : attempt.made()) {
            assertEquals(1, made.closes(), made + " is closed");
        }
    }

    @Test
    void refusesASubprotocolWhenNoneWasOffered() {
        Attempt attempt = new Attempt(List.of());

        HandshakeException e = assertThrows(HandshakeException.class,
                () -> attempt.client.accept(switching(attempt, h -> h.add("Sec-WebSocket-Protocol", "chat"))));

        assertEquals("the server chose subprotocol chat but none was offered", e.getMessage());
    }
}
