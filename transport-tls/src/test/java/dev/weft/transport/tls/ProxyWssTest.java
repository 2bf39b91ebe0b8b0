package dev.weft.transport.tls;

import dev.weft.api.Connection;
import dev.weft.api.HttpProxy;
import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.testing.ConnectProxy;
import dev.weft.testing.Recorder;
import dev.weft.transport.nio.WebSocketClient;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NIO client over {@code wss://} through an HTTP CONNECT proxy: TLS runs inside the tunnel, with
 * the server, and checks the server's host name, not the proxy's. The server's certificate names
 * {@code localhost} only.
 */
class ProxyWssTest {

    private static final long WAIT_SECONDS = 30;

    private static SelfSignedCertificate localhostOnly;
    private static WebSocketServer server;

    @BeforeAll
    static void start() throws Exception {
        localhostOnly = SelfSignedCertificate.create("localhost", "dns:localhost");
        server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(Echo.CONFIG)
                .networkLayer(Tls.server(localhostOnly.serverTls())).endpoint("/echo", Echo::new).build().start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static WebSocketClient client(HttpProxy proxy) {
        return WebSocketClient.builder().secureLayer(Tls.client(localhostOnly.clientTls())).proxy(proxy).build();
    }

    @Test
    void echoesThroughTheTunnelWithCredentials() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.requiring("weft", "s3cret");
             WebSocketClient client = client(proxy.proxy().withCredentials("weft", "s3cret"))) {
            Recorder r = Recorder.recording();
            Connection c = client.connect(URI.create("wss://localhost:" + server.port() + "/echo"), r)
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            c.sendText("secure, tunnelled");
            assertEquals("secure, tunnelled", r.nextText());
            c.close();
            assertEquals("1000 ", r.awaitClose());
            assertEquals("localhost:" + server.port(), proxy.requests().get(0).target());
            assertEquals(Optional.of("Basic d2VmdDpzM2NyZXQ="), proxy.requests().get(0).header("Proxy-Authorization"));
        }
    }

    @Test
    void theServersHostNameIsStillChecked() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start(); WebSocketClient client = client(proxy.proxy())) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect(
                    URI.create("wss://127.0.0.1:" + server.port() + "/echo"), Recorder.recording())
                    .get(WAIT_SECONDS, TimeUnit.SECONDS));
            IOException failure = assertInstanceOf(IOException.class, e.getCause());
            assertTrue(failure.getMessage().contains("is not valid for the host name 127.0.0.1"), failure.getMessage());
            assertInstanceOf(SSLHandshakeException.class, failure.getCause());
            assertEquals("127.0.0.1:" + server.port(), proxy.requests().get(0).target());
        }
    }

    @Test
    void followsTheJdksDefaultSelectorWithTheHttpsProperties() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start(); var ignored = proxy.asSystemProxy();
             WebSocketClient client = WebSocketClient.builder().secureLayer(Tls.client(localhostOnly.clientTls())).build()) {
            Recorder r = Recorder.recording();
            Connection c = client.connect(URI.create("wss://localhost:" + server.port() + "/echo"), r)
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            c.close();
            r.awaitClose();
            assertEquals("localhost:" + server.port(), proxy.requests().get(0).target());
        }
    }
}
