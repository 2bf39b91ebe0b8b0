package dev.weft.ext.zlib;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes and ends the DEFLATE extensions' zlib contexts, and counts the live ones. Each context
 * holds native memory the garbage collector does not see, so one that is not ended when its
 * connection ends is a leak; tests read the count to prove there is none. The count is one for
 * both extensions, as they share this class. Thread-safe.
 */
public final class Zlib {

    /** The largest LZ77 window, 32 KiB: the only one the JDK's {@code Deflater} compresses with. */
    public static final int MAX_WINDOW_BITS = 15;
    /**
     * The smallest window native zlib compresses raw DEFLATE with. zlib.h: "For the current
     * implementation of deflate(), a windowBits value of 8 (a window size of 256 bytes) is not
     * supported" and "For raw deflate [...] a request for a 256-byte window is rejected as invalid".
     */
    public static final int MIN_NATIVE_WINDOW_BITS = 9;
    /** The most native memory a compressor with a window below 15 bits is given, where it can fit. */
    static final long SMALL_DEFLATER_BUDGET = 64 * 1024;
    /** The stream's own state (deflate_state and its trees), beside zconf.h's formula. */
    private static final long DEFLATE_STATE_BYTES = 6 * 1024;

    /**
     * The native memory one JDK compressor holds. zlib's zconf.h: "The memory requirements for
     * deflate are (in bytes): (1 << (windowBits+2)) + (1 << (memLevel+9)) [...] plus a few kilobytes
     * for small objects." The JDK's Deflater always uses windowBits 15 and memLevel 8, whatever the
     * level; the small objects (the stream's state) take about 6 KiB.
     */
    public static final long DEFLATER_BYTES = deflaterBytes(MAX_WINDOW_BITS, 8);
    /**
     * The native memory one JDK decompressor holds: {@link #inflaterBytes} at 15 bits, as the JDK's
     * Inflater always takes, to read any window up to 32 KiB.
     */
    public static final long INFLATER_BYTES = inflaterBytes(MAX_WINDOW_BITS);

    private static final AtomicInteger LIVE = new AtomicInteger();
    private static final AtomicInteger POOLED = new AtomicInteger();
    private static final AtomicLong DEFLATERS_MADE = new AtomicLong();

    private Zlib() {
    }

    /**
     * A raw DEFLATE compressor (no zlib header or checksum, as both extensions send bare DEFLATE
     * data, RFC 7692 §7.2.1) whose back-references reach at most 2<sup>windowBits</sup> bytes: the
     * JDK's {@code Deflater} for 15, native zlib below.
     *
     * @throws IllegalArgumentException unless {@link #compressesWith(int) compressesWith(windowBits)}
     */
    public static Compressor newCompressor(int level, int windowBits) {
        Compressor compressor;
        if (windowBits == MAX_WINDOW_BITS) {
            compressor = new JdkCompressor(level);
        } else if (compressesWith(windowBits)) {
            compressor = Native.ZLIB.newDeflater(level, windowBits, memLevel(windowBits));
        } else {
            throw new IllegalArgumentException("cannot compress with window bits " + windowBits
                    + (Native.ZLIB == null ? " without native zlib (JDK 22+ and libz.so.1)" : ""));
        }
        LIVE.incrementAndGet();
        DEFLATERS_MADE.incrementAndGet();
        return compressor;
    }

    /**
     * Whether {@link #newCompressor} can keep to a window of {@code windowBits}: 15 always; 9 to 14
     * only on native zlib. The first call below 15 looks for it, which on JDK 22 and later may print
     * the JDK's warning about native access unless {@code --enable-native-access} names this module
     * (or {@code ALL-UNNAMED} on the class path).
     */
    public static boolean compressesWith(int windowBits) {
        return windowBits == MAX_WINDOW_BITS
                || windowBits >= MIN_NATIVE_WINDOW_BITS && windowBits < MAX_WINDOW_BITS && Native.ZLIB != null;
    }

    /** Which zlib compresses with a window of {@code windowBits}, if any can. */
    public static Compressor.Path pathFor(int windowBits) {
        if (!compressesWith(windowBits)) {
            throw new IllegalArgumentException("no compressor keeps to window bits " + windowBits);
        }
        return windowBits == MAX_WINDOW_BITS ? Compressor.Path.JDK : Compressor.Path.NATIVE;
    }

    /**
     * The memLevel a native compressor with {@code windowBits} uses: the largest up to zlib's default
     * of 8 that keeps {@link #deflaterBytes} within 64 KiB, which every window up to 13 bits allows;
     * for 14 bits, whose window alone takes 64 KiB, zlib's default proportion (memLevel 7).
     */
    public static int memLevel(int windowBits) {
        for (int memLevel = 8; memLevel >= 1; memLevel--) {
            if (deflaterBytes(windowBits, memLevel) <= SMALL_DEFLATER_BUDGET) {
                return memLevel;
            }
        }
        return windowBits - 7;
    }

    /** The native memory of a compressor, by zconf.h's formula quoted at {@link #DEFLATER_BYTES}. */
    public static long deflaterBytes(int windowBits, int memLevel) {
        return (1L << (windowBits + 2)) + (1L << (memLevel + 9)) + DEFLATE_STATE_BYTES;
    }

    /** Room for {@code n} bytes compressed and flushed, even as stored blocks, so one call usually does. */
    static int flushedBound(int n) {
        return n + n / 64 + 16;
    }

    /**
     * The native memory of a decompressor. zlib's zconf.h: "The memory requirements for inflate are
     * (in bytes) 1 << windowBits that is, 32K for windowBits=15 (default value) plus about 7
     * kilobytes for small objects."
     */
    public static long inflaterBytes(int windowBits) {
        return (1L << windowBits) + 7 * 1024;
    }

    /**
     * A raw DEFLATE decompressor that keeps a window of 2<sup>windowBits</sup> bytes, and so reads
     * only data whose back-references reach no further: the JDK's {@code Inflater} for 15, which
     * reads every window, native zlib below.
     *
     * @throws IllegalArgumentException unless {@link #decompressesWith(int) decompressesWith(windowBits)}
     */
    public static Decompressor newDecompressor(int windowBits) {
        Decompressor decompressor;
        if (windowBits == MAX_WINDOW_BITS) {
            decompressor = new JdkDecompressor();
        } else if (decompressesWith(windowBits)) {
            decompressor = Native.ZLIB.newInflater(windowBits);
        } else {
            throw new IllegalArgumentException("cannot decompress with window bits " + windowBits
                    + (Native.ZLIB == null ? " without native zlib (JDK 22+ and libz.so.1)" : ""));
        }
        LIVE.incrementAndGet();
        return decompressor;
    }

    /**
     * Whether {@link #newDecompressor} can keep to a window of {@code windowBits}: the same windows
     * as {@link #compressesWith}. (zlib inflates raw DEFLATE with 8 bits as well, but data
     * compressed within 256 bytes reads as well with 9, and 512 bytes more are not worth a case.)
     */
    public static boolean decompressesWith(int windowBits) {
        return compressesWith(windowBits);
    }

    /** Frees {@code compressor}'s native memory; {@code null} (never made) is fine. */
    public static void end(Compressor compressor) {
        if (compressor != null) {
            compressor.end();
            LIVE.decrementAndGet();
        }
    }

    /** Frees {@code decompressor}'s native memory; {@code null} (never made) is fine. */
    public static void end(Decompressor decompressor) {
        if (decompressor != null) {
            decompressor.end();
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

    /** How many of the live contexts lie idle in a {@link ZlibPool}, across every pool. */
    public static int pooled() {
        return POOLED.get();
    }

    /** How many contexts are live and not idle in a pool: held by connections or broadcasts. */
    public static int inUse() {
        return LIVE.get() - POOLED.get();
    }

    static void pooledChanged(int delta) {
        POOLED.addAndGet(delta);
    }

    /** Whether native zlib was found: JDK 22 or later, and libz loadable. */
    public static boolean nativeAvailable() {
        return Native.ZLIB != null;
    }

    /**
     * Native zlib, looked for when first needed: {@code NativeZlibLibrary} exists only in the
     * jar's {@code META-INF/versions/22}, so it is loaded by name, and only on JDK 22 or later.
     */
    private static final class Native {
        static final NativeZlib ZLIB = find();

        private static NativeZlib find() {
            if (Runtime.version().feature() < 22) {
                return null;
            }
            try {
                return (NativeZlib) Class.forName("dev.weft.ext.zlib.NativeZlibLibrary")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException notThere) {
                // Not in a multi-release jar, libz missing, or native access denied
                // (--illegal-native-access=deny): the JDK's 15 bits only, both ways.
                return null;
            }
        }
    }
}
