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
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Weft client and a Weft server over {@code wss://} on 127.0.0.1. */
class WssEchoTest {

    private static final long WAIT_SECONDS = 30;

    private static SelfSignedCertificate cert;
    private static WebSocketServer server;
    private static WebSocketClient client;
    private static InputEnds clientInputEnds;
    /** The server's handler of each connection to /record, in the order they were accepted. */
    private static final BlockingQueue<Recorder> recorded = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        cert = SelfSignedCertificate.create();
        server = WebSocketServer.builder()
                .bind("127.0.0.1", 0)
                .threads(2)
                .config(Echo.CONFIG)
                .networkLayer(Tls.server(cert.serverTls()))
                .endpoint("/echo", Echo::new)
                .endpoint("/record", () -> {
                    Recorder r = Recorder.recording();
                    recorded.add(r);
                    return r;
                })
                .build()
                .start();
        clientInputEnds = new InputEnds(Tls.client(cert.clientTls()));
        client = WebSocketClient.builder().threads(2).config(Echo.CONFIG).secureLayer(clientInputEnds).build();
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

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost"})
    void textAndBinaryEcho(String host) throws Exception {
        Recorder r = Recorder.recording();
        Connection c = connect(client, "wss://" + host + ":" + server.port() + "/echo", r);
        c.sendText("hello, wss");
        assertEquals("hello, wss", r.nextText());
        c.sendBinary(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xFF}));
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xFF}, r.nextBinary());
        c.close();
        assertEquals("1000 ", r.awaitClose());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 16_383, 16_384, 16_385, 1 << 20, 16 << 20})
    void binaryMessagesEchoByteExact(int size) throws Exception {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);
        Recorder r = Recorder.recording();
        Connection c = connect(client, echo(), r);
        c.sendBinary(ByteBuffer.wrap(payload));
        assertArrayEquals(payload, r.nextBinary());
        c.close();
        r.awaitClose();
    }

    @Test
    void aSixteenMebibyteTextMessageEchoesExactly() throws Exception {
        // Code points of one to four UTF-8 bytes, in a random mix, to 16 MiB of UTF-8.
        String[] alphabet = {"a", "é", "€", "🌍"};
        StringBuilder sb = new StringBuilder();
        Random random = new Random(16);
        for (int utf8Length = 0; utf8Length < 16 << 20; ) {
            int i = random.nextInt(alphabet.length);
            sb.append(alphabet[i]);
            utf8Length += i + 1;
        }
        String text = sb.toString();
        Recorder r = Recorder.recording();
        Connection c = connect(client, echo(), r);
        c.sendText(text);
        assertEquals(text, r.nextText());
        c.close();
        r.awaitClose();
    }

    @Test
    void fiveThousandSmallMessagesArriveInOrder() throws Exception {
        Recorder r = Recorder.recording();
        Connection c = connect(client, echo(), r);
        for (int i = 0; i < 5000; i++) {
            c.sendText("message " + i);
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            got.add(r.nextText());
        }
        for (int i = 0; i < 5000; i++) {
            assertEquals("message " + i, got.get(i));
        }
        c.close();
        r.awaitClose();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void aContextPinnedToOneVersionGetsIt(String protocol) throws Exception {
        PinnedContext serverContext = PinnedContext.of(cert.serverContext(), protocol);
        PinnedContext clientContext = PinnedContext.of(cert.clientContext(), protocol);
        try (WebSocketServer pinned = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(Echo.CONFIG)
                .networkLayer(Tls.server(ServerTls.of(serverContext))).endpoint("/echo", Echo::new).build().start();
             WebSocketClient pinnedClient = WebSocketClient.builder().config(Echo.CONFIG)
                     .secureLayer(Tls.client(ClientTls.of(clientContext))).build()) {
            Recorder r = Recorder.recording();
            Connection c = connect(pinnedClient, "wss://localhost:" + pinned.port() + "/echo", r);
            c.sendText("pinned");
            assertEquals("pinned", r.nextText());
            assertEquals(protocol, clientContext.negotiated());
            assertEquals(protocol, serverContext.negotiated());
            c.close();
            r.awaitClose();
        }
    }

    @Test
    void theCloseHandshakeEndsWithCloseNotify() throws Exception {
        recorded.clear();
        clientInputEnds.ends.clear();
        Recorder r = Recorder.recording();
        Connection c = connect(client, "wss://127.0.0.1:" + server.port() + "/record", r);
        Recorder onServer = recorded.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(onServer);
        c.sendText("before closing");
        assertEquals("before closing", onServer.nextText());
        c.close(1000, "done");

        assertEquals("1000 ", r.awaitClose(), "the server echoes the code without a reason");
        assertEquals("1000 done", onServer.awaitClose());
        // The server closes TCP first (RFC 6455 §7.1.1), after its close_notify: the client's
        // input ends by TLS, not by a bare TCP end.
        assertEquals("close_notify", clientInputEnds.ends.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(r.errors().isEmpty(), r.errors().toString());
        assertTrue(onServer.errors().isEmpty(), onServer.errors().toString());
    }

    private static URI echo() {
        return URI.create("wss://127.0.0.1:" + server.port() + "/echo");
    }

    private static Connection connect(WebSocketClient client, String uri, Recorder handler) throws Exception {
        return connect(client, URI.create(uri), handler);
    }

    private static Connection connect(WebSocketClient client, URI uri, Recorder handler) throws Exception {
        return client.connect(uri, handler).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
