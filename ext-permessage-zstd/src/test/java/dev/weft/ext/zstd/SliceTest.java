package dev.weft.ext.zstd;

import dev.weft.core.test.Slices;
import com.github.luben.zstd.EndDirective;
import dev.weft.api.CloseCodes;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.ExtensionContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static dev.weft.ext.zstd.NegotiationTest.element;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A large message's output comes back in slices of at most 64 KiB, as the extension SPI allows, so
 * that the engine can serve other connections between them (the extension contract checks the
 * slices of a large message in every variant, see {@link ContractTest}); here, what is particular
 * to permessage-zstd: a message compressed whole and split anywhere into frames, the slice buffer
 * held only while output is pending, and a bomb that still stops one byte past the limit,
 * whichever slice reaches it.
 */
class SliceTest {

    private static final int MIB = 1 << 20;

    @Test
    void aFrameBeforeTheLastEndsItsSlicesWithFinClear() {
        byte[] message = words(300_000, 3);
        byte[] compressed;
        try (Zstandard z = Zstandard.stream(17)) {
            compressed = z.compress(message, EndDirective.END);
        }
        int half = compressed.length / 2;
        try (ZstdExtension agreed = server(true, MIB)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Slices.decode(agreed, new Frame(false, Frame.RSV1, Opcode.TEXT,
                    ByteBuffer.wrap(Arrays.copyOf(compressed, half))), out::writeBytes);
            Slices.decode(agreed, new Frame(true, 0, Opcode.CONTINUATION,
                    ByteBuffer.wrap(Arrays.copyOfRange(compressed, half, compressed.length))), out::writeBytes);
            assertArrayEquals(message, out.toByteArray());
        }
    }

    @Test
    void aSliceBufferIsHeldOnlyWhileOutputIsPending() {
        byte[] compressed;
        try (Zstandard z = Zstandard.stream(17)) {
            compressed = z.zeros(MIB, EndDirective.FLUSH);
        }
        try (ZstdExtension agreed = server(false, MIB)) {
            agreed.decoder().decode(new Frame(true, Frame.RSV1, Opcode.BINARY, ByteBuffer.wrap(compressed)));
            assertTrue(agreed.decoder().hasPendingOutput());
            long pending = agreed.heldBytes();
            while (agreed.decoder().hasPendingOutput()) {
                agreed.decoder().decodePending();
            }
            assertEquals(pending - Slices.MAX, agreed.heldBytes());
            assertThrows(IllegalStateException.class, agreed.decoder()::decodePending);
        }
    }

    @Test
    void aBombFailsWith1009HavingDecompressedOneBytePastTheLimit() {
        int limit = MIB;
        byte[] bomb;
        try (Zstandard z = Zstandard.stream(17)) {
            bomb = z.zeros(256L * MIB, EndDirective.FLUSH);
        }
        try (ZstdExtension agreed = server(false, limit)) {
            long[] handedBack = new long[2];
            WebSocketException e = assertThrows(WebSocketException.class, () -> Slices.decode(agreed,
                    new Frame(true, Frame.RSV1, Opcode.BINARY, ByteBuffer.wrap(bomb)), slice -> {
                        handedBack[0] += slice.length;
                        handedBack[1]++;
                    }));
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, e.closeCode());
            assertEquals(limit + 1, agreed.decompressedMessageSize());
            assertEquals(limit, handedBack[0], "every byte up to the limit, in slices");
            assertEquals(limit / Slices.MAX, handedBack[1]);
        }
    }

    private static ZstdExtension server(boolean peerResets, int maxMessageSize) {
        return (ZstdExtension) new PerMessageZstd().accept(
                element(peerResets ? "permessage-zstd; client_no_context_takeover" : "permessage-zstd"),
                new ExtensionContext(Role.SERVER, maxMessageSize, maxMessageSize)).orElseThrow();
    }

    /** {@code size} bytes of words picked at random: compressible, but not to nothing. */
    private static byte[] words(int size, long seed) {
        String[] words = {"weft ", "warp ", "loom ", "shuttle ", "zstd ", "heddle ", "bobbin ", "reed "};
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 16);
        while (out.size() < size) {
            out.writeBytes(words[random.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII));
        }
        return Arrays.copyOf(out.toByteArray(), size);
    }
}
