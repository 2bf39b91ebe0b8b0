package dev.weft.ext.zlib;

/**
 * Idle zlib contexts for connections that agreed no context takeover, so that between messages
 * they hold none: a direction that starts every message with an empty window borrows its
 * compressor or decompressor for one message and gives it back after it. Bounded: when empty, a
 * borrow makes a new context; when full, a returned one is ended. Contexts lying here count in
 * {@link Zlib#live()} and {@link Zlib#pooled()}. Thread-safe; a lock guards each borrow and return,
 * which take no time beyond a reset, so that neither allocates.
 */
public final class ZlibPool {

    private final int level;
    private final int capacity;
    /** Idle compressors, any window; the ones at the top were returned last. */
    private final Compressor[] compressors;
    private int compressorCount;
    /** Idle decompressors, all the JDK's: they read any window. */
    private final Decompressor[] decompressors;
    private int decompressorCount;

    /**
     * @param level the compression level of the compressors it lends
     * @param capacity the most compressors, and the most decompressors, it keeps idle
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public ZlibPool(int level, int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("pool capacity must not be negative: " + capacity);
        }
        this.level = level;
        this.capacity = capacity;
        this.compressors = new Compressor[capacity];
        this.decompressors = new Decompressor[capacity];
    }

    /** The default capacity: twice the available processors, enough for every event loop's messages in flight. */
    public static int defaultCapacity() {
        return 2 * Runtime.getRuntime().availableProcessors();
    }

    /** The most contexts of each kind this keeps idle. */
    public int capacity() {
        return capacity;
    }

    /** An idle compressor with this window, or a new one; hand it back with {@link #giveBack(Compressor)}. */
    public Compressor borrowCompressor(int windowBits) {
        synchronized (this) {
            for (int i = compressorCount - 1; i >= 0; i--) {
                Compressor c = compressors[i];
                if (c.windowBits() == windowBits) {
                    compressors[i] = compressors[--compressorCount];
                    compressors[compressorCount] = null;
                    Zlib.pooledChanged(-1);
                    return c;
                }
            }
        }
        return Zlib.newCompressor(level, windowBits);
    }

    /** Takes back a borrowed compressor with a fresh stream, or ends it if the pool is full; null is fine. */
    public void giveBack(Compressor compressor) {
        if (compressor == null) {
            return;
        }
        compressor.reset();
        synchronized (this) {
            if (compressorCount < capacity) {
                compressors[compressorCount++] = compressor;
                Zlib.pooledChanged(1);
                return;
            }
        }
        Zlib.end(compressor);
    }

    /**
     * An idle raw decompressor with a 15-bit window, or a new one; hand it back with
     * {@link #giveBack(Decompressor)}. Lent for one message, it reads any window at no cost while idle.
     */
    public Decompressor borrowDecompressor() {
        synchronized (this) {
            if (decompressorCount > 0) {
                Decompressor d = decompressors[--decompressorCount];
                decompressors[decompressorCount] = null;
                Zlib.pooledChanged(-1);
                return d;
            }
        }
        return Zlib.newDecompressor(Zlib.MAX_WINDOW_BITS);
    }

    /** Takes back a borrowed decompressor with a fresh stream, or ends it if the pool is full; null is fine. */
    public void giveBack(Decompressor decompressor) {
        if (decompressor == null) {
            return;
        }
        decompressor.reset();
        synchronized (this) {
            if (decompressorCount < capacity) {
                decompressors[decompressorCount++] = decompressor;
                Zlib.pooledChanged(1);
                return;
            }
        }
        Zlib.end(decompressor);
    }

    /** How many contexts lie idle here. */
    public synchronized int idle() {
        return compressorCount + decompressorCount;
    }
}
