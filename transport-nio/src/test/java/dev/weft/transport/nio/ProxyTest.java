package dev.weft.transport.nio;

import dev.weft.api.Connection;
import dev.weft.api.ProxyException;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.testing.ConnectProxy;
import dev.weft.testing.Recorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The NIO client through an HTTP CONNECT proxy ({@code ws://}; {@code wss://} is transport-tls's test). */
class ProxyTest {

    private static WebSocketServer server;
    private static String target;

    @BeforeAll
    static void start() {
        server = Echo.server();
        target = "127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static URI echo() {
        return URI.create("ws://" + target + "/echo");
    }

    /** Echoes one message through {@code client}, and closes. */
    private static void roundTrip(WebSocketClient.Builder builder) throws Exception {
        try (WebSocketClient client = builder.config(Echo.CONFIG).build()) {
            Recorder r = Recorder.recording();
            Connection c = client.connect(echo(), r).get(20, TimeUnit.SECONDS);
            c.sendText("through the tunnel");
            assertEquals("through the tunnel", r.nextText());
            c.close();
            assertEquals("1000 ", r.awaitClose());
        }
    }

    private static ProxyException refusal(WebSocketClient.Builder builder) throws Exception {
        try (WebSocketClient client = builder.build()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.connect(echo(), Recorder.recording()).get(20, TimeUnit.SECONDS));
            return assertInstanceOf(ProxyException.class, e.getCause());
        }
    }

    private static void assertConnectTo(String target, HandshakeRequest request) {
        assertEquals("CONNECT", request.method());
        assertEquals(target, request.target());
        assertEquals(Optional.of(target), request.header("Host"));
    }

    @Test
    void tunnelsThroughTheProxyGiven() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start()) {
            roundTrip(WebSocketClient.builder().proxy(proxy.proxy()));
            assertEquals(1, proxy.requests().size());
            assertConnectTo(target, proxy.requests().get(0));
            assertEquals(Optional.empty(), proxy.requests().get(0).header("Proxy-Authorization"));
        }
    }

    @Test
    void sendsBasicCredentialsAndIsRefusedWithout() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.requiring("weft", "s3cret")) {
            roundTrip(WebSocketClient.builder().proxy(proxy.proxy().withCredentials("weft", "s3cret")));
            ProxyException e = refusal(WebSocketClient.builder().proxy(proxy.proxy()));
            assertEquals(407, e.status());
            assertEquals("the proxy 127.0.0.1:" + proxy.port() + " refused the tunnel to " + target
                    + ": 407 Proxy Authentication Required", e.getMessage());
            assertEquals(List.of(Optional.of("Basic d2VmdDpzM2NyZXQ="), Optional.empty()),
                    proxy.requests().stream().map(r -> r.header("Proxy-Authorization")).toList());
        }
    }

    @Test
    void aRefusalFailsTheConnectWithTheProxysStatus() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.refusing(502, "Bad Gateway")) {
            ProxyException e = refusal(WebSocketClient.builder().proxy(proxy.proxy()));
            assertEquals(502, e.status());
            assertEquals("127.0.0.1:" + proxy.port(), e.proxy());
            assertEquals("the proxy 127.0.0.1:" + proxy.port() + " refused the tunnel to " + target + ": 502 Bad Gateway",
                    e.getMessage());
        }
    }

    @Test
    void followsTheJdksDefaultSelector() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start(); var ignored = proxy.asSystemProxy()) {
            roundTrip(WebSocketClient.builder());
            assertConnectTo(target, proxy.requests().get(0));
        }
    }

    @Test
    void followsASelectorGiven() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start()) {
            roundTrip(WebSocketClient.builder()
                    .proxySelector(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port()))));
            assertConnectTo(target, proxy.requests().get(0));
            // A selector that names no proxy connects directly.
            roundTrip(WebSocketClient.builder().proxySelector(ProxySelector.of(null)));
            assertEquals(1, proxy.requests().size());
        }
    }
}
