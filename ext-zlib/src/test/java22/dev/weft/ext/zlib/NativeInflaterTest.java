package dev.weft.ext.zlib;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native inflate with a window below 15 bits on JDK 22 and later (compiled and run only there):
 * reads what a compressor limited to that window wrote, across payloads; refuses data that refers
 * back beyond it; slices and limits output exactly as the JDK path does; frees its memory.
 */
class NativeInflaterTest {

    /** Random bytes repeated at a distance of 4 KiB: beyond any window below 13 bits. */
    private static final byte[] FAR_REPEATS = farRepeats();
    private static final long NO_LIMIT = 1 << 30;

    @Test
    void windowsBelowFifteenBitsInflateOnNativeZlibWithinTheirMemory() {
        assertTrue(Zlib.decompressesWith(10));
        assertFalse(Zlib.decompressesWith(8));
        Decompressor d = Zlib.newDecompressor(10);
        try {
            assertEquals(Compressor.Path.NATIVE, d.path());
            assertEquals(10, d.windowBits());
            assertEquals(1024 + 7 * 1024, d.heldBytes());
        } finally {
            Zlib.end(d);
        }
        Decompressor jdk = Zlib.newDecompressor(15);
        assertEquals(Compressor.Path.JDK, jdk.path());
        Zlib.end(jdk);
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 10, 12, 14})
    void readsWhatACompressorWithTheSameWindowWroteAcrossPayloads(int windowBits) throws Exception {
        Compressor c = Zlib.newCompressor(6, windowBits);
        byte[] big = new byte[100_000];
        new Random(5).nextBytes(big);
        System.arraycopy(big, 0, big, 50_000, 20_000);
        try (SlicedInflater inflater = new SlicedInflater(windowBits)) {
            for (byte[] message : List.of(FAR_REPEATS, FAR_REPEATS, big, FAR_REPEATS)) {
                ByteBuffer compressed = tailRemoved(c.deflateFlushed(ByteBuffer.wrap(message)));
                inflater.start(compressed, true, NO_LIMIT);
                assertArrayEquals(message, drain(inflater));
                assertEquals(Zlib.inflaterBytes(windowBits), inflater.heldBytes(), "only the context between payloads");
            }
        } finally {
            Zlib.end(c);
        }
    }

    @Test
    void dataReachingPastTheWindowFailsAsBadDataDoes() throws Exception {
        // The JDK's Deflater, with context takeover, refers the second message 4 KiB back into the
        // first: a 10-bit window no longer holds it.
        Compressor wide = Zlib.newCompressor(6, 15);
        try (SlicedInflater inflater = new SlicedInflater(10)) {
            inflater.start(tailRemoved(wide.deflateFlushed(ByteBuffer.wrap(Arrays.copyOf(FAR_REPEATS, 4096)))), true, NO_LIMIT);
            drain(inflater);
            inflater.start(tailRemoved(wide.deflateFlushed(ByteBuffer.wrap(Arrays.copyOf(FAR_REPEATS, 4096)))), true, NO_LIMIT);
            DataFormatException e = assertThrows(DataFormatException.class, () -> drain(inflater));
            assertTrue(e.getMessage().contains("too far back"), e.getMessage());
        } finally {
            Zlib.end(wide);
        }
    }

    @Test
    void notDeflateFailsWithZlibsMessage() {
        try (SlicedInflater inflater = new SlicedInflater(12)) {
            inflater.start(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}), true, NO_LIMIT);
            DataFormatException e = assertThrows(DataFormatException.class, inflater::nextSlice);
            assertTrue(e.getMessage().startsWith("invalid"), e.getMessage());
        }
    }

    @Test
    void aFinalBlockEndsTheStreamAndTheRestOfThePayloadStartsAnother() throws Exception {
        // RFC 7692 §7.2.3.4's "Hello" with BFINAL set, twice in one payload.
        byte[] once = HexFormat.of().parseHex("f348cdc9c90700");
        byte[] twice = Arrays.copyOf(once, 2 * once.length);
        System.arraycopy(once, 0, twice, once.length, once.length);
        try (SlicedInflater inflater = new SlicedInflater(9)) {
            inflater.start(ByteBuffer.wrap(twice), true, NO_LIMIT);
            assertEquals("HelloHello", new String(drain(inflater)));
        }
    }

    @Test
    void slicesAndTheLimitAreTheSameOnBothPaths() throws Exception {
        Compressor c = Zlib.newCompressor(9, 10);
        ByteBuffer bomb = tailRemoved(c.deflateFlushed(ByteBuffer.wrap(new byte[300_000])));
        Zlib.end(c);
        for (long limit : new long[] {NO_LIMIT, 300_000, 200_000, 64 * 1024}) {
            try (SlicedInflater jdk = new SlicedInflater(); SlicedInflater narrow = new SlicedInflater(10)) {
                assertEquals(slices(jdk, Zlib.INFLATER_BYTES, bomb.duplicate(), limit),
                        slices(narrow, Zlib.inflaterBytes(10), bomb.duplicate(), limit), "limit " + limit);
                assertEquals(jdk.produced(), narrow.produced());
                assertEquals(jdk.overLimit(), narrow.overLimit());
            }
        }
    }

    @Test
    void theContextIsMadeOnTheFirstPayloadAndFreedOnClose() throws Exception {
        int live = Zlib.live();
        SlicedInflater inflater = new SlicedInflater(11);
        assertEquals(0, inflater.heldBytes());
        assertEquals(live, Zlib.live(), "nothing made before data arrives");
        inflater.start(ByteBuffer.wrap(HexFormat.of().parseHex("f248cdc9c90700")), true, NO_LIMIT);
        assertEquals("Hello", new String(drain(inflater)));
        assertEquals(live + 1, Zlib.live());
        inflater.close();
        assertEquals(live, Zlib.live());
        assertEquals(0, inflater.heldBytes());
    }

    /** Each slice's length and the output space held after it, until the last or the limit. */
    private static List<Long> slices(SlicedInflater inflater, long context, ByteBuffer payload, long limit)
            throws Exception {
        List<Long> seen = new ArrayList<>();
        inflater.start(payload, true, limit);
        do {
            seen.add((long) inflater.nextSlice().remaining());
            seen.add(inflater.heldBytes() - context);
        } while (inflater.pending());
        return seen;
    }

    private static byte[] drain(SlicedInflater inflater) throws DataFormatException {
        ByteBuffer all = ByteBuffer.allocate(1 << 20);
        do {
            all.put(inflater.nextSlice());
        } while (inflater.pending());
        return Arrays.copyOf(all.array(), all.position());
    }

    private static ByteBuffer tailRemoved(ByteBuffer flushed) {
        return flushed.limit(flushed.limit() - 4);
    }

    private static byte[] farRepeats() {
        byte[] block = new byte[4096];
        new Random(42).nextBytes(block);
        byte[] twice = Arrays.copyOf(block, 2 * block.length);
        System.arraycopy(block, 0, twice, block.length, block.length);
        return twice;
    }
}
