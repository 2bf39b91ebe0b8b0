package dev.weft.ext.zstd;

import dev.weft.core.test.Slices;
import com.github.luben.zstd.EndDirective;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.extension.ExtensionContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static dev.weft.ext.zstd.NegotiationTest.element;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
        byte[] message = Slices.words(300_000, 3);
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
            Slices.Held held = Slices.held(agreed, new Frame(true, Frame.RSV1, Opcode.BINARY,
                    ByteBuffer.wrap(compressed)));
            assertEquals(held.whilePending() - Slices.MAX, held.after());
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
            Slices.refusedPastLimit(agreed, new Frame(true, Frame.RSV1, Opcode.BINARY, ByteBuffer.wrap(bomb)), limit);
            assertEquals(limit + 1, agreed.decompressedMessageSize());
        }
    }

    private static ZstdExtension server(boolean peerResets, int maxMessageSize) {
        return (ZstdExtension) new PerMessageZstd().accept(
                element(peerResets ? "permessage-zstd; client_no_context_takeover" : "permessage-zstd"),
                new ExtensionContext(Role.SERVER, maxMessageSize, maxMessageSize)).orElseThrow();
    }
}
