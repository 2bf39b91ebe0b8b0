package dev.weft.transport.blocking;

import dev.weft.api.Message;
import dev.weft.api.tls.ClientAuth;
import dev.weft.api.tls.ClientTls;
import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.api.tls.ServerTls;
import dev.weft.testing.Recorder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code wss://} on the blocking transport, configured by the {@code ServerTls}/{@code ClientTls} both transports share. */
class WssTest {

    private static SelfSignedCertificate localhost;
    private static SelfSignedCertificate other;

    @BeforeAll
    static void certificates() throws IOException {
        localhost = SelfSignedCertificate.create();
        other = SelfSignedCertificate.create("other.test", "dns:other.test");
    }

    @Test
    void aServerAndAClientTalkOverTls() throws Exception {
        try (BlockingWebSocketServer server = echo(localhost.serverTls())) {
            BlockingWebSocketClient client = BlockingWebSocketClient.builder().tls(localhost.clientTls()).build();
            try (BlockingWebSocket ws = client.open(uri("127.0.0.1", server))) {
                ws.sendText("secret");
                assertEquals(Message.text("secret"), ws.receive());
            }
        }
    }

    @Test
    void theServerChoosesItsCertificateByTheNameTheClientAsksFor() throws Exception {
        // The fallback is a certificate the client does not trust: only SNI's choice lets it connect.
        ServerTls bySni = ServerTls.bySni(Map.of("localhost", localhost.serverContext())::get, other.serverContext());
        try (BlockingWebSocketServer server = echo(bySni)) {
            BlockingWebSocketClient client = BlockingWebSocketClient.builder().tls(localhost.clientTls()).build();
            try (BlockingWebSocket ws = client.open(uri("localhost", server))) {
                ws.sendText("by name");
                assertEquals(Message.text("by name"), ws.receive());
            }
            BlockingWebSocketClient trustingOther = BlockingWebSocketClient.builder().tls(other.clientTls()).build();
            assertThrows(IOException.class, () -> trustingOther.open(uri("localhost", server)),
                    "the fallback is not what localhost gets");
        }
    }

    @Test
    void aServerThatNeedsAClientCertificateRefusesAClientWithout() throws Exception {
        ServerTls needing = localhost.serverTls().trustingClients(other.certificateFile()).clientAuth(ClientAuth.NEED);
        try (BlockingWebSocketServer server = echo(needing)) {
            BlockingWebSocketClient anonymous = BlockingWebSocketClient.builder().tls(localhost.clientTls()).build();
            assertThrows(IOException.class, () -> anonymous.open(uri("127.0.0.1", server)));
            ClientTls withCertificate = localhost.clientTls().withKeyStore(other.keyStore(), other.password());
            BlockingWebSocketClient known = BlockingWebSocketClient.builder().tls(withCertificate).build();
            try (BlockingWebSocket ws = known.open(uri("127.0.0.1", server))) {
                ws.sendText("it is me");
                assertEquals(Message.text("it is me"), ws.receive());
            }
        }
    }

    @Test
    void anAcceptedSslSocketIsAdoptedLikeAPlainOne() throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) localhost.serverContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> echoed = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept();
                     BlockingWebSocket ws = BlockingWebSocket.accept(accepted)) {
                    Message m = ws.receive();
                    ws.send(m);
                    return ((Message.Text) m).text();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            BlockingWebSocketClient client = BlockingWebSocketClient.builder().tls(localhost.clientTls()).build();
            try (BlockingWebSocket ws = client.open(URI.create("wss://127.0.0.1:" + listener.getLocalPort() + "/"))) {
                ws.sendText("adopted over TLS");
                assertEquals(Message.text("adopted over TLS"), ws.receive());
            }
            assertEquals("adopted over TLS", echoed.get(10, TimeUnit.SECONDS));
        }
    }

    private static BlockingWebSocketServer echo(ServerTls tls) {
        return BlockingWebSocketServer.builder().tls(tls).endpoint("/echo", Recorder::echoing).build().start();
    }

    private static URI uri(String host, BlockingWebSocketServer server) {
        return URI.create("wss://" + host + ":" + server.port() + "/echo");
    }
}
