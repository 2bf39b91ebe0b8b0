package dev.weft.interop;

import dev.weft.api.Connection;
import dev.weft.api.HttpProxy;
import dev.weft.api.Message;
import dev.weft.api.ProxyException;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.testing.ConnectProxy;
import dev.weft.testing.Recorder;
import dev.weft.transport.blocking.BlockingWebSocket;
import dev.weft.transport.blocking.BlockingWebSocketClient;
import dev.weft.transport.nio.WebSocketClient;
import dev.weft.transport.nio.WebSocketServer;
import dev.weft.transport.tls.Tls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Both Weft clients through Debian's tinyproxy, over {@code ws://} and {@code wss://} (TLS inside the
 * tunnel, the server's certificate checked for {@code localhost}): with Basic credentials, refused
 * without them and for a port tinyproxy does not allow, and found through the JDK's proxy selector.
 * Each test asserts that tinyproxy logged the CONNECT.
 */
class TinyproxyInteropTest {

    private static final String USER = "weft";
    private static final String PASSWORD = "tunnel-pass";

    private static SelfSignedCertificate certificate;
    private static WebSocketServer plain;
    private static WebSocketServer secure;

    @TempDir
    static Path directory;

    @BeforeAll
    static void start() throws IOException {
        Tinyproxy.needed();
        certificate = SelfSignedCertificate.create();
        plain = WebSocketServer.builder().bind("127.0.0.1", 0).endpoint("/echo", Recorder::echoing).build().start();
        secure = WebSocketServer.builder().bind("127.0.0.1", 0).networkLayer(Tls.server(certificate.serverTls()))
                .endpoint("/echo", Recorder::echoing).build().start();
    }

    @AfterAll
    static void stop() {
        if (plain != null) {
            plain.close();
            secure.close();
        }
    }

    /** {@code ws://127.0.0.1:PORT/echo} or {@code wss://localhost:PORT/echo}. */
    enum Scheme {
        WS, WSS;

        URI uri() {
            return this == WS ? URI.create("ws://127.0.0.1:" + plain.port() + "/echo")
                    : URI.create("wss://localhost:" + secure.port() + "/echo");
        }

        /** The destination as the CONNECT names it. */
        String target() {
            return uri().getHost() + ":" + uri().getPort();
        }
    }

    static Stream<Arguments> transportsAndSchemes() {
        return WeftTransport.withEach((Object[]) Scheme.values());
    }

    /** Opens a connection to {@code uri} through {@code proxy} (or the JDK's selector if null), echoes once, closes. */
    private static void echoOnce(WeftTransport transport, HttpProxy proxy, URI uri) throws Exception {
        if (transport == WeftTransport.NIO) {
            WebSocketClient.Builder builder = WebSocketClient.builder().secureLayer(Tls.client(certificate.clientTls()));
            if (proxy != null) {
                builder.proxy(proxy);
            }
            try (WebSocketClient client = builder.build()) {
                Recorder r = Recorder.recording();
                Connection c = client.connect(uri, r).get(30, TimeUnit.SECONDS);
                c.sendText("through tinyproxy");
                assertEquals("through tinyproxy", r.nextText());
                c.close();
                assertEquals("1000 ", r.awaitClose());
            }
            return;
        }
        BlockingWebSocketClient.Builder builder = BlockingWebSocketClient.builder().tls(certificate.clientTls());
        if (proxy != null) {
            builder.proxy(proxy);
        }
        try (BlockingWebSocket ws = builder.build().open(uri)) {
            ws.sendText("through tinyproxy");
            assertEquals(Message.text("through tinyproxy"), ws.receive());
        }
    }

    /** The failure of a connect through {@code proxy}, whichever client made it. */
    private static ProxyException refusal(WeftTransport transport, HttpProxy proxy, URI uri) {
        if (transport == WeftTransport.NIO) {
            try (WebSocketClient client = WebSocketClient.builder().secureLayer(Tls.client(certificate.clientTls()))
                    .proxy(proxy).build()) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> client.connect(uri, Recorder.recording()).get(30, TimeUnit.SECONDS));
                return assertInstanceOf(ProxyException.class, e.getCause());
            }
        }
        BlockingWebSocketClient client = BlockingWebSocketClient.builder().tls(certificate.clientTls()).proxy(proxy).build();
        return assertThrows(ProxyException.class, () -> client.open(uri));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("transportsAndSchemes")
    void tunnelsWithBasicCredentials(WeftTransport transport, Scheme scheme) throws Exception {
        try (Tinyproxy tinyproxy = Tinyproxy.start(directory, USER + " " + PASSWORD, plain.port(), secure.port())) {
            HttpProxy proxy = HttpProxy.of("127.0.0.1", tinyproxy.port()).withCredentials(USER, PASSWORD);
            echoOnce(transport, proxy, scheme.uri());
            tinyproxy.awaitLog("CONNECT " + scheme.target() + " HTTP/1.1");
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("transportsAndSchemes")
    void followsTheJdksProxySelector(WeftTransport transport, Scheme scheme) throws Exception {
        try (Tinyproxy tinyproxy = Tinyproxy.start(directory, null, plain.port(), secure.port());
             ConnectProxy.SystemProperties ignored = ConnectProxy.systemProxy("127.0.0.1", tinyproxy.port())) {
            echoOnce(transport, null, scheme.uri());
            tinyproxy.awaitLog("CONNECT " + scheme.target() + " HTTP/1.1");
        }
    }

    @ParameterizedTest
    @EnumSource(WeftTransport.class)
    void refusalsNameTheProxyAndItsStatus(WeftTransport transport) throws Exception {
        try (Tinyproxy tinyproxy = Tinyproxy.start(directory, USER + " " + PASSWORD, plain.port())) {
            HttpProxy anonymous = HttpProxy.of("127.0.0.1", tinyproxy.port());
            ProxyException noCredentials = refusal(transport, anonymous, Scheme.WS.uri());
            assertEquals(407, noCredentials.status());
            assertEquals("the proxy 127.0.0.1:" + tinyproxy.port() + " refused the tunnel to " + Scheme.WS.target()
                    + ": 407 Proxy Authentication Required", noCredentials.getMessage());
            // The secure server's port is not one tinyproxy was told to allow.
            ProxyException notAllowed = refusal(transport, anonymous.withCredentials(USER, PASSWORD), Scheme.WSS.uri());
            assertEquals(403, notAllowed.status());
            assertEquals("the proxy 127.0.0.1:" + tinyproxy.port() + " refused the tunnel to " + Scheme.WSS.target()
                    + ": 403 Access violation", notAllowed.getMessage());
            tinyproxy.awaitLog("CONNECT " + Scheme.WSS.target() + " HTTP/1.1");
        }
    }
}
