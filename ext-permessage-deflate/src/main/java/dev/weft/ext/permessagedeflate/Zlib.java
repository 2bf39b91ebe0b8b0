package dev.weft.ext.permessagedeflate;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Makes and ends this module's zlib contexts, and counts the live ones. Each context holds native
 * memory the garbage collector does not see, so one that is not ended when its connection ends is
 * a leak; tests read the count to prove there is none. Thread-safe.
 */
final class Zlib {

    /**
     * The native memory one compressor holds. zlib's zconf.h: "The memory requirements for deflate
     * are (in bytes): (1 << (windowBits+2)) + (1 << (memLevel+9)) [...] plus a few kilobytes for small
     * objects." The JDK's Deflater always uses windowBits 15 and memLevel 8, whatever the level;
     * the small objects (the stream's state) take about 6 KiB.
     */
    static final long DEFLATER_BYTES = (1 << (15 + 2)) + (1 << (8 + 9)) + 6 * 1024;
    /**
     * The native memory one decompressor holds. zlib's zconf.h: "The memory requirements for inflate
     * are (in bytes) 1 << windowBits that is, 32K for windowBits=15 (default value) plus about 7
     * kilobytes for small objects." A raw Inflater takes any window up to 15 bits.
     */
    static final long INFLATER_BYTES = (1 << 15) + 7 * 1024;

    private static final AtomicInteger LIVE = new AtomicInteger();
    private static final AtomicLong DEFLATERS_MADE = new AtomicLong();

    private Zlib() {
    }

    /** A raw DEFLATE compressor (no zlib header or checksum: RFC 7692 §7.2.1 sends bare DEFLATE data). */
    static Deflater newDeflater(int level) {
        Deflater deflater = new Deflater(level, true);
        LIVE.incrementAndGet();
        DEFLATERS_MADE.incrementAndGet();
        return deflater;
    }

    /** A raw DEFLATE decompressor. */
    static Inflater newInflater() {
        Inflater inflater = new Inflater(true);
        LIVE.incrementAndGet();
        return inflater;
    }

    /** Frees {@code deflater}'s native memory; {@code null} (never made) is fine. */
    static void end(Deflater deflater) {
        if (deflater != null) {
            deflater.end();
            LIVE.decrementAndGet();
        }
    }

    /** Frees {@code inflater}'s native memory; {@code null} (never made) is fine. */
    static void end(Inflater inflater) {
        if (inflater != null) {
            inflater.end();
            LIVE.decrementAndGet();
        }
    }

    /** How many compressors this module has made so far, across every connection. */
    static long deflatersMade() {
        return DEFLATERS_MADE.get();
    }

    /** How many contexts this module made and has not ended yet, across every connection. */
    static int live() {
        return LIVE.get();
    }
}
