package dev.weft.ext.deflateframe;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.test.RawDeflate;
import dev.weft.core.test.Slices;
import dev.weft.ext.zlib.Zlib;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A large frame's output comes back in slices of at most 64 KiB, as the extension SPI allows, so
 * that the engine can serve other connections between them (the extension contract checks the
 * slices of a large message in every variant, see {@link ContractTest}); here, what is particular
 * to deflate-frame: a frame before the last ends its slices with fin clear, the slice buffer is held
 * only while output is pending, and a bomb still stops one byte past the limit, whichever slice
 * reaches it.
 */
class SliceTest {

    private static final int MIB = 1 << 20;

    @Test
    void aFrameBeforeTheLastEndsItsSlicesWithFinClear() {
        byte[] first = Slices.words(300_000, 3);
        byte[] second = Slices.words(200_000, 4);
        byte[] compressedFirst;
        byte[] compressedSecond;
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            compressedFirst = RawDeflate.flushed(deflater, first);
            compressedSecond = RawDeflate.flushed(deflater, second);
        } finally {
            deflater.end();
        }
        try (Extension agreed = server(false, MIB)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Slices.decode(agreed, new Frame(false, Frame.RSV1, Opcode.TEXT, ByteBuffer.wrap(compressedFirst)),
                    out::writeBytes);
            Slices.decode(agreed, new Frame(true, Frame.RSV1, Opcode.CONTINUATION, ByteBuffer.wrap(compressedSecond)),
                    out::writeBytes);
            assertArrayEquals(concat(first, second), out.toByteArray());
        }
    }

    @Test
    void aSliceBufferIsHeldOnlyWhileOutputIsPending() {
        byte[] compressed = WireTest.zeros(MIB);
        try (Extension agreed = server(false, MIB)) {
            Slices.Held held = Slices.held(agreed, new Frame(true, Frame.RSV1, Opcode.BINARY,
                    ByteBuffer.wrap(compressed)));
            assertEquals(Zlib.INFLATER_BYTES + Slices.MAX, held.whilePending());
            assertEquals(Zlib.INFLATER_BYTES, held.after());
        }
    }

    @ParameterizedTest(name = "over the {0} limit")
    @ValueSource(strings = {"frame", "message"})
    void aBombFailsWith1009HavingInflatedOneBytePastTheLimit(String limited) {
        int limit = MIB;
        byte[] bomb = WireTest.zeros(64 * MIB);
        ExtensionContext context = limited.equals("frame") ? new ExtensionContext(Role.SERVER, limit, 1 << 30)
                : new ExtensionContext(Role.SERVER, 1 << 30, limit);
        try (DeflateFrameExtension agreed = (DeflateFrameExtension) new DeflateFrame()
                .accept(ExtensionParameters.of(DeflateFrame.NAME), context).orElseThrow()) {
            WebSocketException e = Slices.refusedPastLimit(agreed, new Frame(true, Frame.RSV1, Opcode.BINARY,
                    ByteBuffer.wrap(bomb)), limit);
            assertTrue(e.getMessage().contains(limited), e.getMessage());
            assertEquals(limit + 1, agreed.inflatedMessageSize());
        }
    }

    private static Extension server(boolean peerResets, int maxMessageSize) {
        return DeflateFrame.builder().requestNoContextTakeover(peerResets).build().accept(
                ExtensionParameters.of(DeflateFrame.NAME), new ExtensionContext(Role.SERVER, maxMessageSize,
                        maxMessageSize)).orElseThrow();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
