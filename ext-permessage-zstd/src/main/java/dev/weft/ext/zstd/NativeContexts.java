package dev.weft.ext.zstd;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.util.Native;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes and frees this module's zstd contexts, counts the live ones, estimates their size, and says
 * whether zstd-jni's native library loads at all. A context holds native memory the garbage
 * collector does not see (about 2 MiB for a compressor at the default level and window), so one
 * that is not freed when its connection ends is a leak; tests read the count to prove there is
 * none. Thread-safe.
 */
final class NativeContexts {

    /** zstd's largest block, {@code ZSTD_BLOCKSIZE_MAX}: its stream buffers hold whole blocks. */
    private static final long BLOCK_SIZE_MAX = 128 * 1024;
    /**
     * {@code sizeof(ZSTD_DCtx)} in zstd 1.5: about 27 KiB of entropy tables, a 64 KiB literals
     * buffer, and its state.
     */
    private static final long DECOMPRESSION_CONTEXT_BYTES = 96 * 1024;
    /** A compression context's fixed part: entropy tables, block states and work space. */
    private static final long COMPRESSION_CONTEXT_BYTES = 64 * 1024;

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

    /**
     * The native memory of a decompression context that has decoded frames with windows of up to
     * 2<sup>windowLog</sup> bytes, as zstd's {@code ZSTD_estimateDStreamSize} reckons it (zstd-jni
     * 1.5.6 does not expose that function): the context, an input buffer of one block, and an output
     * buffer of the window and one more block.
     */
    static long decompressorBytes(int windowLog) {
        long window = 1L << windowLog;
        long block = Math.min(window, BLOCK_SIZE_MAX);
        return DECOMPRESSION_CONTEXT_BYTES + block + window + block;
    }

    /**
     * The native memory of a compression context at {@code level} with windows of up to
     * 2<sup>windowLog</sup> bytes, after the outline of zstd's {@code ZSTD_estimateCStreamSize}: an
     * input buffer of the window and one block, an output buffer of one block, a sequence store of
     * about four blocks, and the match finder's hash and chain tables, 4 bytes an entry. zstd sizes
     * those tables by level and shrinks them to fit the window (to at most 2<sup>windowLog+1</sup>
     * entries); {@link #tableLog} gives the level's larger table, so this is an upper estimate.
     */
    static long compressorBytes(int level, int windowLog) {
        long window = 1L << windowLog;
        long block = Math.min(window, BLOCK_SIZE_MAX);
        long tables = 2 * 4 * (1L << Math.min(tableLog(level), windowLog + 1));
        return COMPRESSION_CONTEXT_BYTES + window + block + block + 4 * block + tables;
    }

    /**
     * The base-2 logarithm of the larger of the hash and chain tables zstd's parameter table gives
     * {@code level} for large inputs, rounded up over a band of levels (0 is zstd's default, 3).
     */
    private static int tableLog(int level) {
        if (level <= 3) {
            return 17;
        }
        if (level <= 8) {
            return 20;
        }
        if (level <= 12) {
            return 23;
        }
        return level <= 19 ? 24 : 27;
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
