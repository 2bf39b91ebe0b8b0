package dev.weft.transport.tls;

import dev.weft.api.Connection;
import dev.weft.api.tls.ClientTls;
import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.testing.Recorder;
import dev.weft.transport.nio.NetworkLayer;
import dev.weft.transport.nio.WebSocketClient;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a client's {@code connect} says when the server's certificate will not do, and the ways to
 * make it do. The server's certificate names {@code localhost} only, not 127.0.0.1.
 */
class CertificateCheckTest {

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

    @Test
    void aHostNameTheCertificateDoesNotNameFails() {
        IOException e = connectFails(Tls.client(localhostOnly.clientTls()), "127.0.0.1");
        assertTrue(e.getMessage().startsWith("TLS handshake with 127.0.0.1:" + server.port()
                + " failed: the server's certificate is not valid for the host name 127.0.0.1 ("), e.getMessage());
        assertInstanceOf(SSLHandshakeException.class, e.getCause());
    }

    @Test
    void theSameClientAcceptsTheNameTheCertificateHas() throws Exception {
        echoOnce(Tls.client(localhostOnly.clientTls()), "localhost");
    }

    @Test
    void aCertificateNoTrustedAuthoritySignedFails() {
        IOException e = connectFails(Tls.client(ClientTls.defaults()), "localhost");
        assertTrue(e.getMessage().startsWith("TLS handshake with localhost:" + server.port()
                + " failed: the server's certificate is not trusted ("), e.getMessage());
        assertInstanceOf(SSLHandshakeException.class, e.getCause());
    }

    @Test
    void aClientTrustingTheCertificateFileConnects() throws Exception {
        echoOnce(Tls.client(ClientTls.trusting(localhostOnly.certificateFile())), "localhost");
        IOException e = connectFails(Tls.client(ClientTls.trusting(localhostOnly.certificateFile())), "127.0.0.1");
        assertTrue(e.getMessage().contains("is not valid for the host name 127.0.0.1"), e.getMessage());
    }

    @Test
    void theInsecureClientConnectsAnyway() throws Exception {
        echoOnce(Tls.client(ClientTls.insecure()), "127.0.0.1");
    }

    private static IOException connectFails(NetworkLayer.Factory layer, String host) {
        try (WebSocketClient client = WebSocketClient.builder().secureLayer(layer).build()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect(
                    URI.create("wss://" + host + ":" + server.port() + "/echo"), Recorder.recording())
                    .get(WAIT_SECONDS, TimeUnit.SECONDS));
            return assertInstanceOf(IOException.class, e.getCause());
        }
    }

    private static void echoOnce(NetworkLayer.Factory layer, String host) throws Exception {
        try (WebSocketClient client = WebSocketClient.builder().secureLayer(layer).build()) {
            Recorder r = Recorder.recording();
            Connection c = client.connect(URI.create("wss://" + host + ":" + server.port() + "/echo"), r)
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            c.sendText("trusted");
            assertEquals("trusted", r.nextText());
            c.close();
            r.awaitClose();
        }
    }
}
