package dev.weft.ext.zlib;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Makes and ends the DEFLATE extensions' zlib contexts, and counts the live ones. Each context
 * holds native memory the garbage collector does not see, so one that is not ended when its
 * connection ends is a leak; tests read the count to prove there is none. The count is one for
 * both extensions, as they share this class. Thread-safe.
 */
public final class Zlib {

    /**
     * The native memory one compressor holds. zlib's zconf.h: "The memory requirements for deflate
     * are (in bytes): (1 << (windowBits+2)) + (1 << (memLevel+9)) [...] plus a few kilobytes for small
     * objects." The JDK's Deflater always uses windowBits 15 and memLevel 8, whatever the level;
     * the small objects (the stream's state) take about 6 KiB.
     */
    public static final long DEFLATER_BYTES = (1 << (15 + 2)) + (1 << (8 + 9)) + 6 * 1024;
    /**
     * The native memory one decompressor holds. zlib's zconf.h: "The memory requirements for inflate
     * are (in bytes) 1 << windowBits that is, 32K for windowBits=15 (default value) plus about 7
     * kilobytes for small objects." A raw Inflater takes any window up to 15 bits.
     */
    public static final long INFLATER_BYTES = (1 << 15) + 7 * 1024;

    private static final AtomicInteger LIVE = new AtomicInteger();
    private static final AtomicLong DEFLATERS_MADE = new AtomicLong();

    private Zlib() {
    }

    /**
     * A raw DEFLATE compressor: no zlib header or checksum, as both extensions send bare DEFLATE
     * data (RFC 7692 §7.2.1).
     */
    public static Deflater newDeflater(int level) {
        Deflater deflater = new Deflater(level, true);
        LIVE.incrementAndGet();
        DEFLATERS_MADE.incrementAndGet();
        return deflater;
    }

    /** A raw DEFLATE decompressor; it reads data compressed with any window up to 32 KiB. */
    public static Inflater newInflater() {
        Inflater inflater = new Inflater(true);
        LIVE.incrementAndGet();
        return inflater;
    }

    /** Frees {@code deflater}'s native memory; {@code null} (never made) is fine. */
    public static void end(Deflater deflater) {
        if (deflater != null) {
            deflater.end();
            LIVE.decrementAndGet();
        }
    }

    /** Frees {@code inflater}'s native memory; {@code null} (never made) is fine. */
    public static void end(Inflater inflater) {
        if (inflater != null) {
            inflater.end();
            LIVE.decrementAndGet();
        }
    }

    /** How many compressors this module has made so far, across every connection. */
    public static long deflatersMade() {
        return DEFLATERS_MADE.get();
    }

    /** How many contexts this module made and has not ended yet, across every connection. */
    public static int live() {
        return LIVE.get();
    }

    /**
     * Compresses all of {@code payload} with {@code SYNC_FLUSH}, which ends the output on a byte
     * boundary, with an empty stored block ({@code 00 00 ff ff}) if anything was written since the
     * last flush.
     *
     * @return the output, in a heap buffer from position 0 whose array may be changed
     */
    public static ByteBuffer deflateFlushed(Deflater deflater, ByteBuffer payload) {
        deflater.setInput(payload);
        // Room for incompressible data as stored blocks plus the flush, so one call usually does.
        byte[] out = new byte[payload.remaining() + payload.remaining() / 64 + 16];
        int length = 0;
        while (true) {
            length += deflater.deflate(out, length, out.length - length, Deflater.SYNC_FLUSH);
            // Deflater: if the output space was filled, "this method should be invoked again with the
            // same flush parameter and more output space".
            if (length < out.length) {
                return ByteBuffer.wrap(out, 0, length);
            }
            out = Arrays.copyOf(out, out.length * 2);
        }
    }
}
