package dev.weft.transport.blocking;

import dev.weft.api.Message;
import dev.weft.api.ProxyException;
import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.testing.ConnectProxy;
import dev.weft.testing.Recorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocking client through an HTTP CONNECT proxy, over {@code ws://} and {@code wss://}: the
 * server's certificate names {@code localhost} only, so the host-name check is seen to be the
 * server's, inside the tunnel.
 */
class ProxyTest {

    private static SelfSignedCertificate localhostOnly;
    private static BlockingWebSocketServer plain;
    private static BlockingWebSocketServer secure;

    @BeforeAll
    static void start() throws IOException {
        localhostOnly = SelfSignedCertificate.create("localhost", "dns:localhost");
        plain = BlockingWebSocketServer.builder().bind("127.0.0.1", 0).endpoint("/echo", Recorder::echoing).build().start();
        secure = BlockingWebSocketServer.builder().bind("127.0.0.1", 0).tls(localhostOnly.serverTls())
                .endpoint("/echo", Recorder::echoing).build().start();
    }

    @AfterAll
    static void stop() {
        plain.close();
        secure.close();
    }

    private static BlockingWebSocketClient.Builder client() {
        return BlockingWebSocketClient.builder().tls(localhostOnly.clientTls());
    }

    private static void echoOnce(BlockingWebSocketClient client, URI uri) throws IOException, InterruptedException {
        try (BlockingWebSocket ws = client.open(uri)) {
            ws.sendText("through the tunnel");
            assertEquals(Message.text("through the tunnel"), ws.receive());
        }
    }

    private static URI ws() {
        return URI.create("ws://127.0.0.1:" + plain.port() + "/echo");
    }

    private static URI wss(String host) {
        return URI.create("wss://" + host + ":" + secure.port() + "/echo");
    }

    @Test
    void tunnelsWsAndWssThroughTheProxyGiven() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start()) {
            BlockingWebSocketClient client = client().proxy(proxy.proxy()).build();
            echoOnce(client, ws());
            echoOnce(client, wss("localhost"));
            assertEquals(List.of("127.0.0.1:" + plain.port(), "localhost:" + secure.port()),
                    proxy.requests().stream().map(r -> r.target()).toList());
        }
    }

    @Test
    void theServersHostNameIsStillChecked() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start()) {
            BlockingWebSocketClient client = client().proxy(proxy.proxy()).build();
            IOException e = assertThrows(IOException.class, () -> client.open(wss("127.0.0.1")));
            assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
            assertEquals("127.0.0.1:" + secure.port(), proxy.requests().get(0).target());
        }
    }

    @Test
    void sendsBasicCredentialsAndIsRefusedWithout() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.requiring("weft", "s3cret")) {
            echoOnce(client().proxy(proxy.proxy().withCredentials("weft", "s3cret")).build(), wss("localhost"));
            BlockingWebSocketClient without = client().proxy(proxy.proxy()).build();
            ProxyException e = assertThrows(ProxyException.class, () -> without.open(ws()));
            assertEquals(407, e.status());
            assertEquals("the proxy 127.0.0.1:" + proxy.port() + " refused the tunnel to 127.0.0.1:" + plain.port()
                    + ": 407 Proxy Authentication Required", e.getMessage());
            assertEquals(List.of(Optional.of("Basic d2VmdDpzM2NyZXQ="), Optional.empty()),
                    proxy.requests().stream().map(r -> r.header("Proxy-Authorization")).toList());
        }
    }

    @Test
    void aRefusalFailsTheConnectWithTheProxysStatus() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.refusing(403, "Forbidden")) {
            BlockingWebSocketClient client = client().proxy(proxy.proxy()).build();
            ProxyException e = assertThrows(ProxyException.class,
                    () -> client.connect(wss("localhost"), Recorder.recording()));
            assertEquals(403, e.status());
            assertEquals("the proxy 127.0.0.1:" + proxy.port() + " refused the tunnel to localhost:" + secure.port()
                    + ": 403 Forbidden", e.getMessage());
        }
    }

    @Test
    void followsTheJdksDefaultSelectorAndASelectorGiven() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start()) {
            try (var ignored = proxy.asSystemProxy()) {
                echoOnce(client().build(), ws());
                echoOnce(client().build(), wss("localhost"));
            }
            echoOnce(client().proxySelector(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port()))).build(),
                    ws());
            echoOnce(client().proxySelector(ProxySelector.of(null)).build(), ws());
            assertEquals(3, proxy.requests().size());
        }
    }
}
