package dev.weft.ext.zstd;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.util.Native;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes and frees this module's zstd contexts, counts the live ones, and says whether zstd-jni's
 * native library loads at all. A context holds native memory the garbage collector does not see
 * (about a megabyte for a compressor at the default level), so one that is not freed when its
 * connection ends is a leak; tests read the count to prove there is none. Thread-safe.
 */
final class NativeContexts {

    private static final System.Logger LOG = System.getLogger(NativeContexts.class.getName());
    private static final AtomicInteger LIVE = new AtomicInteger();
    private static final AtomicLong COMPRESSORS_MADE = new AtomicLong();

    private NativeContexts() {
    }

    /**
     * Whether zstd-jni's native library is usable on this platform. Checked once; when it is not,
     * the extension is neither offered nor accepted, so a connection never fails for it later.
     */
    static boolean available() {
        return Availability.AVAILABLE;
    }

    /**
     * A compression context.
     *
     * @param level the zstd compression level
     * @param windowLog the base-2 logarithm of the largest window (history) it may use
     */
    static ZstdCompressCtx newCompressor(int level, int windowLog) {
        ZstdCompressCtx ctx = new ZstdCompressCtx();
        try {
            ctx.setLevel(level);
            ctx.setWindowLog(windowLog);
            // The frame's content size is written when it is known (a whole message compressed at
            // once), so that a receiver can refuse an oversized message before inflating any of it.
            ctx.setContentSize(true);
            ctx.setChecksum(false);
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
        LIVE.incrementAndGet();
        COMPRESSORS_MADE.incrementAndGet();
        return ctx;
    }

    /** A decompression context. */
    static ZstdDecompressCtx newDecompressor() {
        ZstdDecompressCtx ctx = new ZstdDecompressCtx();
        LIVE.incrementAndGet();
        return ctx;
    }

    /** Frees {@code ctx}'s native memory; {@code null} (never made) is fine. */
    static void free(ZstdCompressCtx ctx) {
        if (ctx != null) {
            ctx.close();
            LIVE.decrementAndGet();
        }
    }

    /** Frees {@code ctx}'s native memory; {@code null} (never made) is fine. */
    static void free(ZstdDecompressCtx ctx) {
        if (ctx != null) {
            ctx.close();
            LIVE.decrementAndGet();
        }
    }

    /** How many compression contexts this module has made so far, across every connection. */
    static long compressorsMade() {
        return COMPRESSORS_MADE.get();
    }

    /** How many contexts this module made and has not freed yet, across every connection. */
    static int live() {
        return LIVE.get();
    }

    /** Loads the native library on first use (the holder idiom keeps that lazy and thread-safe). */
    private static final class Availability {
        static final boolean AVAILABLE = load();

        private static boolean load() {
            try {
                Native.load();
                return true;
            } catch (LinkageError e) {
                LOG.log(System.Logger.Level.WARNING, "zstd-jni's native library does not load on this platform;"
                        + " permessage-zstd is neither offered nor accepted", e);
                return false;
            }
        }
    }
}
