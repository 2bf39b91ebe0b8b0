package dev.weft.transport.tls;

import dev.weft.api.Connection;
import dev.weft.api.tls.ClientTls;
import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.api.tls.ServerTls;
import dev.weft.testing.Recorder;
import dev.weft.transport.nio.WebSocketClient;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A server that chooses its certificate by the host name the client asks for (SNI). */
class SniTest {

    private static final long WAIT_SECONDS = 30;

    private static SelfSignedCertificate a;
    private static SelfSignedCertificate b;
    private static SelfSignedCertificate fallback;
    private static WebSocketServer server;
    /** The three certificates, for a JDK client to trust. */
    private static Path allThree;
    /** Every name the server's SNI function was asked about, in order. */
    private static final BlockingQueue<String> asked = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        a = SelfSignedCertificate.create("a.test", "dns:a.test");
        b = SelfSignedCertificate.create("b.test", "dns:b.test");
        fallback = SelfSignedCertificate.create("localhost", "dns:localhost", "ip:127.0.0.1");
        allThree = Files.createTempFile("weft-sni-", ".pem");
        allThree.toFile().deleteOnExit();
        for (SelfSignedCertificate c : List.of(a, b, fallback)) {
            Files.writeString(allThree, Files.readString(c.certificateFile()), StandardOpenOption.APPEND);
        }
        server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(Echo.CONFIG)
                .networkLayer(Tls.server(ServerTls.bySni(name -> {
                    asked.add(name);
                    return switch (name) {
                        case "a.test" -> a.serverContext();
                        case "b.test" -> b.serverContext();
                        case "broken.test" -> throw new IllegalStateException("no context for you");
                        default -> null;
                    };
                }, fallback.serverContext())))
                .endpoint("/echo", Echo::new)
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0} gets {1}")
    @CsvSource({"a.test, CN=a.test", "b.test, CN=b.test", "B.TEST, CN=b.test", "c.test, CN=localhost", ", CN=localhost"})
    void theCertificateFollowsTheName(String serverName, String subject) throws Exception {
        try (SSLSocket socket = handshake(serverName)) {
            X509Certificate presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertEquals(subject, presented.getSubjectX500Principal().getName());
        }
    }

    @Test
    void aFailingChoiceFailsThatConnectionOnly() throws Exception {
        assertThrows(SSLException.class, () -> handshake("broken.test").close());
        try (SSLSocket socket = handshake("a.test")) {
            assertEquals("CN=a.test", ((X509Certificate) socket.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName());
        }
    }

    @Test
    void weftClientsSendTheHostNameButNotAnAddress() throws Exception {
        asked.clear();
        try (WebSocketClient client = WebSocketClient.builder().secureLayer(Tls.client(fallback.clientTls())).build()) {
            for (String host : List.of("localhost", "127.0.0.1")) {
                Recorder r = Recorder.recording();
                Connection c = client.connect(URI.create("wss://" + host + ":" + server.port() + "/echo"), r)
                        .get(WAIT_SECONDS, TimeUnit.SECONDS);
                c.sendText(host);
                assertEquals(host, r.nextText());
                c.close();
                r.awaitClose();
            }
        }
        assertEquals("localhost", asked.poll());
        assertNull(asked.poll(), "an IP address went as SNI");
    }

    /** A JDK client's handshake asking for {@code serverName} (none if null). */
    private static SSLSocket handshake(String serverName) throws Exception {
        // A context per handshake: for the same host and port, a JDK client sends the server name of
        // the session it cached before, whatever it is told.
        SSLContext trusting = ClientTls.trusting(allThree).context();
        SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", server.port());
        socket.setSoTimeout(20_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }
}
