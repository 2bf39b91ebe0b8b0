package dev.weft.transport.tls;

import dev.weft.api.Connection;
import dev.weft.api.tls.ClientAuth;
import dev.weft.api.tls.ClientTls;
import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.testing.Recorder;
import dev.weft.transport.nio.WebSocketClient;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS client authentication on the NIO transport: a server that needs a client certificate, one
 * that only wants one, and clients with and without a certificate it trusts.
 */
class ClientAuthTest {

    private static final long WAIT_SECONDS = 30;

    private static SelfSignedCertificate serverCert;
    private static SelfSignedCertificate clientCert;
    private static WebSocketServer needing;
    private static WebSocketServer wanting;

    @BeforeAll
    static void start() throws Exception {
        serverCert = SelfSignedCertificate.create();
        clientCert = SelfSignedCertificate.create("client.test", "dns:client.test");
        needing = server(ClientAuth.NEED);
        wanting = server(ClientAuth.WANT);
    }

    @AfterAll
    static void stop() {
        for (WebSocketServer server : new WebSocketServer[] {needing, wanting}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void needRefusesAClientWithoutACertificate() {
        try (WebSocketClient client = WebSocketClient.builder().secureLayer(Tls.client(serverCert.clientTls())).build()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect(uri(needing), Recorder.recording())
                    .get(WAIT_SECONDS, TimeUnit.SECONDS));
            IOException failure = assertInstanceOf(IOException.class, e.getCause());
            assertTrue(failure.getMessage().contains("the server wants a client certificate it trusts"), failure.getMessage());
        }
    }

    @Test
    void needTakesAClientWithATrustedCertificate() throws Exception {
        echoOnce(withCertificate(), needing);
    }

    @Test
    void wantTakesClientsWithAndWithoutACertificate() throws Exception {
        echoOnce(serverCert.clientTls(), wanting);
        echoOnce(withCertificate(), wanting);
    }

    private static WebSocketServer server(ClientAuth clientAuth) throws Exception {
        return WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(Echo.CONFIG)
                .networkLayer(Tls.server(serverCert.serverTls().clientAuth(clientAuth)
                        .trustingClients(clientCert.certificateFile())))
                .endpoint("/echo", Echo::new)
                .build()
                .start();
    }

    private static ClientTls withCertificate() throws Exception {
        return serverCert.clientTls().withKeyStore(clientCert.keyStore(), clientCert.password());
    }

    private static URI uri(WebSocketServer server) {
        return URI.create("wss://localhost:" + server.port() + "/echo");
    }

    private static void echoOnce(ClientTls tls, WebSocketServer server) throws Exception {
        try (WebSocketClient client = WebSocketClient.builder().secureLayer(Tls.client(tls)).build()) {
            Recorder r = Recorder.recording();
            Connection c = client.connect(uri(server), r).get(WAIT_SECONDS, TimeUnit.SECONDS);
            c.sendText("authenticated");
            assertEquals("authenticated", r.nextText());
            c.close();
            r.awaitClose();
        }
    }
}
