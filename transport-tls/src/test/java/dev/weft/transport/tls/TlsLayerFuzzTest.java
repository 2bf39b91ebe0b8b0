package dev.weft.transport.tls;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.api.Role;
import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.core.test.FuzzInput;
import dev.weft.core.test.FuzzSeed;
import dev.weft.testing.loop.ManualScheduler;
import dev.weft.transport.nio.NetworkLayer;

import java.util.concurrent.Executor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target: a {@link TlsLayer} of either role, with no socket, fed arbitrary network bytes in
 * arbitrary reads (docs/fuzzing.md). Each read goes through one buffer that is overwritten after
 * it, as the event loop's is; the loop waits for each delegated task before the next read, so a run
 * is repeatable.
 *
 * <p>Invariants: {@code read} and {@code endOfInput} throw nothing and leave nothing in the read
 * buffer; garbage never opens the application nor hands it a byte of plaintext; when the input
 * ends the connection has failed exactly once, through {@link NetworkLayer.Link#fail} with an
 * {@link IOException}, and its network is closed; nothing is written to a closed network.
 *
 * <p>Input layout: role (server if true), then the network bytes as {@link FuzzInput#chunks} reads them.
 */
public class TlsLayerFuzzTest {

    private static final SelfSignedCertificate CERT = certificate();

    @FuzzTest
    void layerFailsCleanlyOnGarbage(FuzzedDataProvider data) throws InterruptedException {
        boolean server = data.consumeBoolean();
        ManualScheduler loop = new ManualScheduler();
        TlsLayer layer = server ? (TlsLayer) Tls.server(CERT.serverTls()).create(Role.SERVER, "127.0.0.1", 50000)
                : clientLayer();
        CountingLink link = new CountingLink(loop);
        layer.open(link);
        loop.runUntil(() -> !layer.awaitingTask());
        ByteBuffer readBuffer = ByteBuffer.allocate(FuzzInput.MAX_CHUNK);
        for (byte[] chunk : FuzzInput.chunks(data)) {
            readBuffer.clear().put(chunk).flip();
            layer.read(readBuffer);
            assertFalse(readBuffer.hasRemaining(), "the layer left bytes in the loop's buffer");
            Arrays.fill(readBuffer.array(), (byte) 0x5A);
            loop.runUntil(() -> !layer.awaitingTask());
        }
        layer.endOfInput();
        loop.runUntil(() -> !layer.awaitingTask());

        assertEquals(0, link.opens, "garbage opened the application");
        assertEquals(0, link.plaintext, "garbage was handed to the application as plaintext");
        assertEquals(1, link.failures, "failures reported");
        assertTrue(link.closed, "the network was left open");
        assertEquals(0, link.writesAfterClose, "writes to a closed network");
    }

    /** Writes the seeds under this module's src/test/resources. */
    public static void main(String[] args) throws InterruptedException {
        FuzzSeed.write(Path.of(args.length > 0 ? args[0] : "."), TlsLayerFuzzTest.class, "layerFailsCleanlyOnGarbage",
                seeds());
    }

    /** Real first flights of both roles, whole and split, and what non-TLS peers send. */
    static Map<String, FuzzSeed> seeds() throws InterruptedException {
        byte[] clientHello = firstFlight(Role.CLIENT);
        byte[] serverFlight = firstFlight(Role.SERVER);
        Map<String, FuzzSeed> seeds = new LinkedHashMap<>();
        seeds.put("client-hello-whole", seed(true, clientHello, 255));
        seeds.put("client-hello-bytewise", seed(true, Arrays.copyOf(clientHello, 64), 1));
        seeds.put("client-hello-then-garbage-record", seed(true, join(clientHello, hex("17 03 03 00 05 01 02 03 04 05")), 100));
        seeds.put("server-flight-whole", seed(false, serverFlight, 255));
        seeds.put("server-flight-split-7", seed(false, Arrays.copyOf(serverFlight, Math.min(700, serverFlight.length)), 7));
        seeds.put("plain-http-request", seed(true, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 255));
        seeds.put("plain-http-response", seed(false, "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 255));
        seeds.put("sslv2-hello", seed(true, hex("80 2e 01 00 02 00 15 00 00 00 10 07 00 c0 03 00 80 01 00 80 06 00 40 "
                + "04 00 80 02 00 80 00 00 04 00 00 05 00 00 0a 00 00 09 00 00 03"), 255));
        seeds.put("record-longer-than-allowed", seed(true, hex("16 03 01 ff ff 01 00"), 255));
        seeds.put("fatal-alert", seed(false, hex("15 03 03 00 02 02 28"), 255));
        seeds.put("close-notify-during-handshake", seed(true, hex("15 03 03 00 02 01 00"), 255));
        return seeds;
    }

    private static FuzzSeed seed(boolean server, byte[] bytes, int chunk) {
        return new FuzzSeed().bool(server).chunks(bytes, chunk);
    }

    /** What {@code role} sends first in a real handshake: the ClientHello, or the server's answering flight. */
    private static byte[] firstFlight(Role role) throws InterruptedException {
        ManualScheduler loop = new ManualScheduler();
        MemoryLink client = new MemoryLink(clientLayer(), loop, 1 << 20);
        MemoryLink server = new MemoryLink(Tls.server(CERT.serverTls()).create(Role.SERVER, "127.0.0.1", 50000),
                loop, 1 << 20);
        MemoryLink.connect(client, server);
        loop.runUntil(() -> client.opens == 1 && server.opens == 1);
        return (role == Role.CLIENT ? client : server).sent.get(0);
    }

    private static TlsLayer clientLayer() {
        return new TlsLayer(Role.CLIENT, "localhost", 443,
                serverName -> TlsFactory.clientEngine(CERT.clientTls(), "localhost", 443));
    }

    private static SelfSignedCertificate certificate() {
        try {
            return SelfSignedCertificate.create();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static byte[] join(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The network end of the layer under test: counts what the layer does to it. */
    private static final class CountingLink implements NetworkLayer.Link {

        private final ManualScheduler loop;
        int opens;
        long plaintext;
        int failures;
        boolean closed;
        int writesAfterClose;

        CountingLink(ManualScheduler loop) {
            this.loop = loop;
        }

        @Override
        public Executor loop() {
            return loop;
        }

        @Override
        public void writeNetwork(ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
            if (closed) {
                writesAfterClose++;
            }
            if (written != null) {
                written.complete(null);
            }
        }

        @Override
        public void closeNetwork() {
            closed = true;
        }

        @Override
        public void readApplication(ByteBuffer bytes) {
            plaintext += bytes.remaining();
            bytes.position(bytes.limit());
        }

        @Override
        public void applicationOpen() {
            opens++;
        }

        @Override
        public void applicationEndOfInput() {
        }

        @Override
        public void fail(IOException cause) {
            failures++;
            closed = true;
        }
    }
}
