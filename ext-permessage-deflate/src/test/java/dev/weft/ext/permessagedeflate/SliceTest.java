package dev.weft.ext.permessagedeflate;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.test.RawDeflate;
import dev.weft.core.test.Slices;
import dev.weft.ext.zlib.Zlib;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A large message's output comes back in slices of at most 64 KiB, as the extension SPI allows, so
 * that the engine can serve other connections between them (the extension contract checks the
 * slices of a large message in every variant, see {@link ContractTest}); here, what is particular
 * to permessage-deflate: a message compressed whole and split anywhere into frames, the slice
 * buffer held only while output is pending, and a bomb that still stops one byte past the limit,
 * whichever slice reaches it.
 */
class SliceTest {

    private static final int MIB = 1 << 20;

    @Test
    void aFrameBeforeTheLastEndsItsSlicesWithFinClear() {
        byte[] message = Slices.words(300_000, 3);
        byte[] compressed;
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            compressed = RawDeflate.flushed(deflater, message);
        } finally {
            deflater.end();
        }
        int half = compressed.length / 2;
        try (Extension agreed = server(false, MIB)) {
            // The first frame keeps the end of its flush: RFC 7692 §7.2.3.1's first fragment.
            byte[] first = Arrays.copyOf(compressed, half);
            byte[] rest = Arrays.copyOfRange(compressed, half, compressed.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Slices.decode(agreed, new Frame(false, Frame.RSV1, Opcode.TEXT, ByteBuffer.wrap(first)), out::writeBytes);
            Slices.decode(agreed, new Frame(true, 0, Opcode.CONTINUATION, ByteBuffer.wrap(rest)), out::writeBytes);
            assertArrayEquals(message, out.toByteArray());
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

    @Test
    void aBombFailsWith1009HavingInflatedOneBytePastTheLimit() {
        int limit = MIB;
        byte[] bomb = WireTest.zeros(64 * MIB);
        try (DeflateExtension agreed = (DeflateExtension) server(false, limit)) {
            Slices.refusedPastLimit(agreed, new Frame(true, Frame.RSV1, Opcode.BINARY, ByteBuffer.wrap(bomb)), limit);
            assertEquals(limit + 1, agreed.inflatedMessageSize());
        }
    }

    private static Extension server(boolean peerResets, int maxMessageSize) {
        ExtensionParameters offer = ExtensionParameters.of(PerMessageDeflate.NAME);
        return new PerMessageDeflate().accept(peerResets ? offer.with("client_no_context_takeover") : offer,
                new ExtensionContext(Role.SERVER, maxMessageSize, maxMessageSize)).orElseThrow();
    }
}
