package dev.weft.cli.command;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import dev.weft.api.Connection;
import dev.weft.api.PartialMessageHandler;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketException;
import dev.weft.ext.permessagedeflate.PerMessageDeflate;
import dev.weft.ext.zstd.PerMessageZstd;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real decompression bomb, permessage-deflate and permessage-zstd, on a server with one event
 * loop: while the bomb inflates slice by slice towards the limit, a neighbour on the same loop
 * sends a message, and is echoed before the bomb is closed with 1009. A decoder that inflated the
 * whole bomb in one go would hold the loop until the 1009, and the neighbour would come second.
 */
@Timeout(120)
class BombNeighbourTest {

    private static final int LIMIT = 512 << 20;
    private static final int MIB = 1 << 20;

    @ParameterizedTest
    @ValueSource(strings = {"permessage-deflate", "permessage-zstd"})
    void theNeighbourIsEchoedBeforeTheBombIsClosed(String extension) throws Exception {
        byte[] bomb = extension.equals("permessage-deflate") ? deflateZeros(LIMIT / MIB + 1) : zstdZeros(LIMIT / MIB + 1);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        WebSocketConfig config = WebSocketConfig.builder().maxMessageSize(LIMIT)
                .extensions(List.of(new PerMessageDeflate(), PerMessageZstd.builder().build())).build();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(config)
                .endpoint("/", () -> new PartsEcho(events)).build().start();
             Socket bomber = upgraded(server.port(), extension);
             Socket neighbour = upgraded(server.port(), null)) {
            bomber.getOutputStream().write(frame(0xC2, bomb)); // FIN, RSV1 (compressed), binary

            awaitTrue(() -> server.stats().slicesDecoded() >= 2, "the bomb inflating slice by slice");
            neighbour.getOutputStream().write(frame(0x81, "hello".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("hello", readText(neighbour.getInputStream()));

            awaitTrue(() -> events.size() == 2, "the bomb closed");
            assertEquals(List.of("echoed hello", "closed 1009"), events);
            assertTrue(server.stats().slicesDecoded() >= 2);
        }
    }

    /** Echoes text taken in parts (so nothing is gathered), and notes what happens in order. */
    private record PartsEcho(List<String> events) implements PartialMessageHandler {
        @Override
        public void onTextPart(Connection c, String part, boolean last) {
            events.add("echoed " + part);
            c.sendText(part);
        }

        @Override
        public void onBinaryPart(Connection c, ByteBuffer part, boolean last) {
            // The bomb's output, dropped as it comes.
        }

        @Override
        public void onError(Connection c, Throwable error) {
            if (error instanceof WebSocketException w) {
                events.add("closed " + w.closeCode());
            }
        }
    }

    /**
     * {@code mebibytes} MiB of zeros as raw DEFLATE: one fully flushed block that inflates to
     * 1 MiB, repeated (a full flush makes each copy independent of the ones before).
     */
    private static byte[] deflateZeros(int mebibytes) {
        Deflater deflater = new Deflater(9, true);
        deflater.setInput(new byte[MIB]);
        byte[] buffer = new byte[64 * 1024];
        int n = deflater.deflate(buffer, 0, buffer.length, Deflater.FULL_FLUSH);
        deflater.end();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < mebibytes; i++) {
            all.write(buffer, 0, n);
        }
        return all.toByteArray();
    }

    /** {@code mebibytes} MiB of zeros as one zstd frame with a 128 KiB window and no declared size. */
    private static byte[] zstdZeros(int mebibytes) {
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            ctx.setLevel(3);
            ctx.setWindowLog(17);
            ByteBuffer zeros = ByteBuffer.allocateDirect(MIB);
            ByteBuffer out = ByteBuffer.allocateDirect(MIB);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i <= mebibytes; i++) {
                zeros.clear().limit(i < mebibytes ? MIB : 0);
                EndDirective directive = i < mebibytes ? EndDirective.CONTINUE : EndDirective.FLUSH;
                boolean done;
                do {
                    out.clear();
                    done = ctx.compressDirectByteBufferStream(out, zeros, directive);
                    byte[] b = new byte[out.flip().remaining()];
                    out.get(b);
                    all.writeBytes(b);
                } while (zeros.hasRemaining() || (directive == EndDirective.FLUSH && !done));
            }
            return all.toByteArray();
        }
    }

    /** A client socket after a valid opening handshake, offering {@code extension} if not null. */
    private static Socket upgraded(int port, String extension) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(60_000);
        String request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (extension == null ? "" : "Sec-WebSocket-Extensions: " + extension + "\r\n") + "\r\n";
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        String head = readHead(s.getInputStream());
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        if (extension != null) {
            assertTrue(head.contains(extension), head);
        }
        return s;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed during the handshake: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** A masked client frame; the mask key is zero, so the payload goes as it is. */
    private static byte[] frame(int firstByte, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(firstByte);
        // Lengths in their shortest form (RFC 6455 §5.2), or the server fails the frame with 1002.
        int lengthBytes = payload.length <= 125 ? 0 : payload.length <= 0xFFFF ? 2 : 8;
        f.write(0x80 | (lengthBytes == 0 ? payload.length : lengthBytes == 2 ? 126 : 127));
        for (int i = lengthBytes - 1; i >= 0; i--) {
            f.write((int) ((long) payload.length >>> (8 * i)));
        }
        f.writeBytes(new byte[4]);
        f.writeBytes(payload);
        return f.toByteArray();
    }

    /** Reads one unfragmented, unmasked short text frame from the server. */
    private static String readText(InputStream in) throws IOException {
        int b0 = in.read();
        int length = in.read() & 0x7F;
        assertEquals(0x81, b0, "a final text frame");
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not reached within 60 s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
