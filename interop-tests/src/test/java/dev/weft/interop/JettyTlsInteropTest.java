package dev.weft.interop;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.tls.ClientTls;
import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.testing.Recorder;
import dev.weft.transport.nio.WebSocketClient;
import dev.weft.transport.tls.Tls;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Weft client over wss:// against Jetty 12's WebSocket server behind Jetty's own TLS stack, on
 * 127.0.0.1 and an ephemeral port, with a self-signed certificate made for the test.
 */
class JettyTlsInteropTest {

    private static final int MIB = 1 << 20;

    private static SelfSignedCertificate certificate;
    private static Server jetty;
    private static int port;
    private static WebSocketClient client;

    @BeforeAll
    static void start() throws Exception {
        certificate = SelfSignedCertificate.create();
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(certificate.keyStore().toString());
        ssl.setKeyStorePassword(new String(certificate.password()));
        ssl.setKeyStoreType("PKCS12");
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // The client connects to 127.0.0.1, an IP literal, which TLS never sends as SNI.
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.setHandler(WebSocketUpgradeHandler.from(jetty, container -> {
            container.setMaxTextMessageSize(4 * MIB);
            container.setMaxBinaryMessageSize(4 * MIB);
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.addMapping("/echo", (request, response, callback) -> new JettyServerInteropTest.JettyEcho());
        }));
        jetty.start();
        port = connector.getLocalPort();
        client = WebSocketClient.builder()
                .config(WebSocketConfig.builder().extensions(List.of()).build())
                .secureLayer(Tls.client(certificate.clientTls()))
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (jetty != null) {
            jetty.stop();
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 125, 65536, MIB})
    void echoesTextAndBinaryOverTls(int size) throws Exception {
        Recorder recorder = Recorder.recording();
        Connection c = client.connect(URI.create("wss://127.0.0.1:" + port + "/echo"), recorder)
                .get(Inbox.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        String text = Payloads.ascii(size);
        byte[] data = Payloads.binary(size, size);
        c.sendText(text);
        c.sendBinary(ByteBuffer.wrap(data));
        assertEquals(text, recorder.nextText());
        assertArrayEquals(data, recorder.nextBinary());
        c.close(1000, "done");
        assertEquals("1000 done", recorder.awaitClose());
    }

    @Test
    void thousandsOfSmallMessagesArriveInOrder() throws Exception {
        Recorder recorder = Recorder.recording();
        Connection c = client.connect(URI.create("wss://localhost:" + port + "/echo"), recorder)
                .get(Inbox.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        for (int i = 0; i < 3000; i++) {
            c.sendText("message " + i);
        }
        for (int i = 0; i < 3000; i++) {
            assertEquals("message " + i, recorder.nextText());
        }
        c.close();
        recorder.awaitClose();
    }

    @Test
    void theSystemTrustStoreRefusesTheSelfSignedCertificate() throws Exception {
        try (WebSocketClient strict = WebSocketClient.builder()
                .config(WebSocketConfig.builder().extensions(List.of()).build())
                .secureLayer(Tls.client(ClientTls.defaults())).build()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> strict.connect(URI.create("wss://127.0.0.1:" + port + "/echo"), Recorder.recording())
                            .get(Inbox.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("not trusted"), e.getCause().getMessage());
        }
    }
}
