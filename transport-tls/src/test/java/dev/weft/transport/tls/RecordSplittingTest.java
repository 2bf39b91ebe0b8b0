package dev.weft.transport.tls;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Weft TLS server fed records the way a peer may send them: one byte per TCP write (the
 * handshake included), or many records in one write. What it echoes must be byte-exact.
 */
class RecordSplittingTest {

    private static SelfSignedCertificate cert;
    private static WebSocketServer server;

    @BeforeAll
    static void start() throws Exception {
        cert = SelfSignedCertificate.create();
        server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(Echo.CONFIG)
                .networkLayer(Tls.server(cert.serverTls())).endpoint("/echo", Echo::new).build().start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> protocolsAndWrites() {
        return Stream.of("TLSv1.3", "TLSv1.2").flatMap(protocol -> Arrays.stream(EngineClient.Writes.values())
                .map(writes -> Arguments.of(protocol, writes)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("protocolsAndWrites")
    void echoesExactlyAndClosesWithCloseNotify(String protocol, EngineClient.Writes writes) throws Exception {
        byte[] binary = new byte[3000];
        new Random(3000).nextBytes(binary);
        try (EngineClient client = new EngineClient(server.port(), cert.clientContext(), protocol, writes)) {
            client.handshake();
            client.upgrade();
            client.send(client.frame(Opcode.TEXT, "split".getBytes(StandardCharsets.UTF_8)), client.frame(Opcode.BINARY, binary));
            assertFrame(Opcode.TEXT, "split".getBytes(StandardCharsets.UTF_8), client.nextFrame());
            assertFrame(Opcode.BINARY, binary, client.nextFrame());

            client.send(client.frame(Opcode.CLOSE, new byte[] {0x03, (byte) 0xE8}));
            assertFrame(Opcode.CLOSE, new byte[] {0x03, (byte) 0xE8}, client.nextFrame());
            client.expectCloseNotifyThenEnd();
        }
    }

    @Test
    void manyRecordsInOneWriteAllEcho() throws Exception {
        try (EngineClient client = new EngineClient(server.port(), cert.clientContext(), "TLSv1.3", EngineClient.Writes.WHOLE)) {
            client.handshake();
            client.upgrade();
            byte[][] frames = new byte[300][];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = client.frame(Opcode.TEXT, ("record " + i).getBytes(StandardCharsets.UTF_8));
            }
            client.send(frames);
            for (int i = 0; i < frames.length; i++) {
                assertFrame(Opcode.TEXT, ("record " + i).getBytes(StandardCharsets.UTF_8), client.nextFrame());
            }
        }
    }

    @Test
    void theUpgradeRequestInTheSameWriteAsTheLastHandshakeRecords() throws Exception {
        // TLS 1.3: the client's Finished and its first application data reach the server together.
        try (EngineClient client = new EngineClient(server.port(), cert.clientContext(), "TLSv1.3", EngineClient.Writes.WHOLE)) {
            client.handshake(EngineClient.UPGRADE.getBytes(StandardCharsets.US_ASCII));
            client.expectUpgraded();
            client.send(client.frame(Opcode.TEXT, "together".getBytes(StandardCharsets.UTF_8)));
            assertFrame(Opcode.TEXT, "together".getBytes(StandardCharsets.UTF_8), client.nextFrame());
        }
    }

    private static void assertFrame(Opcode opcode, byte[] payload, Frame frame) {
        assertEquals(opcode, frame.opcode());
        ByteBuffer got = frame.payload();
        byte[] bytes = new byte[got.remaining()];
        got.get(bytes);
        assertArrayEquals(payload, bytes);
    }
}
