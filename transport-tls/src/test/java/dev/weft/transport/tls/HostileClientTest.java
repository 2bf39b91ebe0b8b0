package dev.weft.transport.tls;

import dev.weft.api.Connection;
import dev.weft.api.Opcode;
import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.testing.Recorder;
import dev.weft.transport.nio.WebSocketClient;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Peers that do not speak TLS properly: each such connection is closed, and the server, with one
 * event loop, goes on serving a well-behaved connection and counts exactly that one open.
 */
class HostileClientTest {

    private static final long WAIT_SECONDS = 30;

    private static SelfSignedCertificate cert;
    private static WebSocketServer server;
    private static WebSocketClient client;
    private static Connection wellBehaved;
    private static Recorder wellBehavedEvents;
    private static int pings;

    @BeforeAll
    static void start() throws Exception {
        cert = SelfSignedCertificate.create();
        server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(Echo.CONFIG)
                .networkLayer(Tls.server(cert.serverTls())).endpoint("/echo", Echo::new).build().start();
        client = WebSocketClient.builder().secureLayer(Tls.client(cert.clientTls())).build();
        wellBehavedEvents = Recorder.recording();
        wellBehaved = client.connect(URI.create("wss://localhost:" + server.port() + "/echo"), wellBehavedEvents)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * The well-behaved connection still echoes. Its echo passes the server's only loop after the
     * task that closed the hostile connection, so the count is up to date by then.
     */
    @AfterEach
    void theServerGoesOn() throws Exception {
        String ping = "still here " + pings++;
        wellBehaved.sendText(ping);
        assertEquals(ping, wellBehavedEvents.nextText());
        assertEquals(1, server.stats().connectionsOpen());
    }

    @Test
    void plainHttpOnTheTlsPort() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().readAllBytes();
        }
    }

    @Test
    void garbageInAHandshakeRecordHeader() throws Exception {
        byte[] garbage = new byte[200];
        new Random(200).nextBytes(garbage);
        garbage[0] = 22;
        garbage[1] = 3;
        garbage[2] = 1;
        garbage[3] = 0;
        garbage[4] = (byte) 195;
        try (Socket socket = connect()) {
            socket.getOutputStream().write(garbage);
            socket.getInputStream().readAllBytes();
        }
    }

    @Test
    void aClientHelloCutOffByTheEndOfTheConnection() throws Exception {
        byte[] hello = ClientHelloTest.realHello("TLSv1.3", "localhost");
        try (Socket socket = connect()) {
            socket.getOutputStream().write(Arrays.copyOf(hello, hello.length / 2));
            socket.shutdownOutput();
            socket.getInputStream().readAllBytes();
        }
    }

    @Test
    void aRecordCutOffByTheEndOfTheConnectionAfterTheHandshake() throws Exception {
        try (EngineClient hostile = new EngineClient(server.port(), cert.clientContext(), "TLSv1.3", EngineClient.Writes.WHOLE)) {
            hostile.handshake();
            hostile.upgrade();
            byte[] records = hostile.records(hostile.frame(Opcode.TEXT, new byte[100]));
            hostile.sendRaw(Arrays.copyOf(records, records.length / 2));
            hostile.shutdownOutput();
            hostile.expectEnd();
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        socket.setSoTimeout(20_000);
        return socket;
    }
}
