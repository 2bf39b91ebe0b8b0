package dev.weft.transport.nio;

import dev.weft.testing.RawClient;
import dev.weft.api.handshake.Interceptors;
import dev.weft.api.handshake.StaticResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the NIO server's interceptors and HTTP responder answer over a real socket. What every
 * server transport answers to bad upgrades is checked by {@code ServerContract} (ServerContractTest).
 */
class HandshakeOverWireTest {

    private static WebSocketServer server;

    @BeforeAll
    static void start() {
        server = Echo.builder()
                .endpoint("/browser-only", Echo::handler, Interceptors.allowOrigins("https://app.example"))
                .endpoint("/basic", Echo::handler, Interceptors.basicAuth("weft", (user, pass) -> user.equals("ada") && pass.equals("s3cret")))
                .endpoint("/bearer", Echo::handler, Interceptors.bearerToken("weft",
                        token -> token.equals("good-token") ? Optional.of("ada") : Optional.empty()))
                .httpResponder(new StaticResources(HandshakeOverWireTest.class, "dev/weft/transport/nio/web"))
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Sends a raw request and returns the response head and body. */
    private static String exchange(String request) throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.send(request);
            String head = raw.readHead();
            return head.startsWith("HTTP/1.1 101") ? head : head + raw.readToEnd();
        }
    }

    private static String upgrade(String path, String... extraHeaderLines) {
        StringBuilder sb = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
        for (String h : extraHeaderLines) {
            sb.append(h).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    @Test
    void aRefusedOriginGets403AndAnAllowedOneIsUpgraded() throws Exception {
        assertTrue(exchange(upgrade("/browser-only", "Origin: https://evil.example")).startsWith("HTTP/1.1 403 "));
        assertTrue(exchange(upgrade("/browser-only", "Origin: https://app.example")).startsWith("HTTP/1.1 101 "));
    }

    @Test
    void failedBasicAuthenticationGets401WithAChallenge() throws Exception {
        String refused = exchange(upgrade("/basic", "Authorization: Basic " + basic("ada:wrong")));
        assertTrue(refused.startsWith("HTTP/1.1 401 "), refused);
        assertTrue(refused.contains("WWW-Authenticate: Basic realm=\"weft\""), refused);
        assertTrue(exchange(upgrade("/basic", "Authorization: Basic " + basic("ada:s3cret"))).startsWith("HTTP/1.1 101 "));
    }

    @Test
    void aBadBearerTokenGets401() throws Exception {
        String refused = exchange(upgrade("/bearer", "Authorization: Bearer bad-token"));
        assertTrue(refused.startsWith("HTTP/1.1 401 "), refused);
        assertTrue(refused.contains("error=\"invalid_token\""), refused);
        assertTrue(exchange(upgrade("/bearer", "Authorization: Bearer good-token")).startsWith("HTTP/1.1 101 "));
    }

    @Test
    void plainGetsAreAnsweredByTheStaticResponder() throws Exception {
        String page = exchange("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(page.startsWith("HTTP/1.1 200 "), page);
        assertTrue(page.contains("Content-Type: text/html; charset=utf-8"), page);
        assertTrue(page.contains("served from the class path"), page);
        String h2c = exchange("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");
        assertTrue(h2c.startsWith("HTTP/1.1 200 OK\r\n"), "an h2c offer is ignored, as HTTP/1.1 allows: " + h2c);
        assertTrue(exchange("GET /missing.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").startsWith("HTTP/1.1 404 "));
        assertTrue(exchange("GET /../../secret HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").startsWith("HTTP/1.1 404 "));
        assertTrue(exchange("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n").startsWith("HTTP/1.1 405 "));
    }

    private static String basic(String userPass) {
        return Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }
}
