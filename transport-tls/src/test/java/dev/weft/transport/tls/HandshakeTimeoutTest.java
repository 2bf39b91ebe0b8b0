package dev.weft.transport.tls;

import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A TLS handshake that never completes is cut off at the server's handshake timeout (300 ms here),
 * which starts when the server accepts. Each client just waits for the end of the stream, with a
 * generous bound.
 */
class HandshakeTimeoutTest {

    private static SelfSignedCertificate cert;
    private static WebSocketServer server;

    @BeforeAll
    static void start() throws Exception {
        cert = SelfSignedCertificate.create();
        server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1)
                .config(Echo.CONFIG.toBuilder().handshakeTimeout(Duration.ofMillis(300)).build())
                .networkLayer(Tls.server(cert.serverTls())).endpoint("/echo", Echo::new).build().start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aClientThatSaysNothing() throws Exception {
        try (Socket socket = connect()) {
            assertEquals(-1, socket.getInputStream().read());
        }
    }

    @Test
    void aClientThatSendsHalfAHello() throws Exception {
        byte[] hello = ClientHelloTest.realHello("TLSv1.3", "localhost");
        try (Socket socket = connect()) {
            socket.getOutputStream().write(Arrays.copyOf(hello, hello.length / 2));
            assertEquals(-1, socket.getInputStream().read());
        }
    }

    @Test
    void aClientThatNeverSendsItsFinished() throws Exception {
        SSLEngine engine = cert.clientContext().createSSLEngine("localhost", server.port());
        engine.setUseClientMode(true);
        ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), hello);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(hello.array(), 0, hello.position());
            InputStream in = socket.getInputStream();
            assertEquals(22, in.read(), "the server's flight starts with a handshake record");
            in.readAllBytes();
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        socket.setSoTimeout(20_000);
        return socket;
    }
}
