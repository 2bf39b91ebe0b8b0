package dev.weft.ext.zlib;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native zlib on JDK 22 and later (compiled and run only there): compresses with the window asked
 * for, which a peer limited to that window can inflate, byte for byte as the JDK's Inflater does,
 * and frees its memory when ended.
 */
class NativeDeflaterTest {

    /** Random bytes repeated at a distance of 4 KiB: beyond any window below 13 bits. */
    private static final byte[] FAR_REPEATS = farRepeats();

    @Test
    void windowsBelowFifteenBitsRunOnNativeZlib() {
        assertTrue(Zlib.nativeAvailable(), "JDK " + Runtime.version().feature() + " with libz.so.1");
        Compressor c = Zlib.newCompressor(6, 10);
        try {
            assertEquals(Compressor.Path.NATIVE, c.path());
            assertEquals(10, c.windowBits());
            assertTrue(c.heldBytes() <= 64 * 1024, "memLevel " + Zlib.memLevel(10) + ": " + c.heldBytes());
        } finally {
            Zlib.end(c);
        }
        assertEquals(Compressor.Path.JDK, Zlib.pathFor(15));
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 10, 12, 13, 14, 15})
    void aPeerLimitedToTheWindowInflatesWhatWasCompressedWithIt(int windowBits) throws Throwable {
        Compressor c = Zlib.newCompressor(6, windowBits);
        try {
            byte[] first = bytes(c.deflateFlushed(ByteBuffer.wrap(FAR_REPEATS)));
            // Context takeover: the second message may refer back into the first, within the window.
            byte[] second = bytes(c.deflateFlushed(ByteBuffer.wrap(FAR_REPEATS)));
            byte[] both = concat(first, second);
            byte[] expected = concat(FAR_REPEATS, FAR_REPEATS);
            assertArrayEquals(expected, NarrowInflater.inflate(both, windowBits, expected.length));
            assertArrayEquals(expected, jdkInflate(both, expected.length), "the JDK's Inflater reads it alike");
        } finally {
            Zlib.end(c);
        }
    }

    @Test
    void theNarrowPeerWouldRejectAFifteenBitStream() {
        // The check above would catch a compressor that ignored its window: the JDK's, with 15 bits,
        // refers 4 KiB back, which a 10-bit inflater refuses.
        Compressor wide = Zlib.newCompressor(6, 15);
        try {
            byte[] data = bytes(wide.deflateFlushed(ByteBuffer.wrap(FAR_REPEATS)));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> NarrowInflater.inflate(data, 10, FAR_REPEATS.length));
            assertTrue(e.getMessage().contains("too far back"), e.getMessage());
        } finally {
            Zlib.end(wide);
        }
    }

    @Test
    void resetStartsAnEmptyWindowAndEndFreesTheStream() throws Throwable {
        int live = Zlib.live();
        Compressor c = Zlib.newCompressor(6, 11);
        assertEquals(live + 1, Zlib.live());
        byte[] once = bytes(c.deflateFlushed(ByteBuffer.wrap(FAR_REPEATS)));
        c.reset();
        assertArrayEquals(once, bytes(c.deflateFlushed(ByteBuffer.wrap(FAR_REPEATS))), "no history after reset");
        Zlib.end(c);
        assertEquals(live, Zlib.live());
        // The z_stream's arena is closed: nothing can touch the freed memory.
        assertThrows(IllegalStateException.class, c::reset);
    }

    @Test
    void largeAndEmptyPayloadsAndTheFlushTail() throws Throwable {
        Compressor c = Zlib.newCompressor(1, 9);
        try {
            byte[] big = new byte[300_000];
            new Random(7).nextBytes(big);
            byte[] out = bytes(c.deflateFlushed(ByteBuffer.wrap(big)));
            assertArrayEquals(new byte[] {0, 0, (byte) 0xff, (byte) 0xff}, Arrays.copyOfRange(out, out.length - 4, out.length));
            assertArrayEquals(big, jdkInflate(out, big.length));
            assertEquals(0, c.deflateFlushed(ByteBuffer.allocate(0)).remaining(), "nothing new: nothing written");
        } finally {
            Zlib.end(c);
        }
    }

    private static byte[] jdkInflate(byte[] data, int length) throws Exception {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(data);
            byte[] out = new byte[length];
            int n = 0;
            while (n < length) {
                int got = inflater.inflate(out, n, length - n);
                if (got == 0) {
                    break;
                }
                n += got;
            }
            return Arrays.copyOf(out, n);
        } finally {
            inflater.end();
        }
    }

    private static byte[] farRepeats() {
        byte[] block = new byte[4096];
        new Random(42).nextBytes(block);
        return concat(block, block);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
