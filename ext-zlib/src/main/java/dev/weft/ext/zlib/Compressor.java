package dev.weft.ext.zlib;

import java.nio.ByteBuffer;

/**
 * One raw DEFLATE compression stream (RFC 1951, no zlib header or checksum, as RFC 7692 §7.2.1
 * sends it): the JDK's {@code Deflater}, whose LZ77 window is always 32 KiB, or on JDK 22 and later
 * native zlib with a smaller window. Made and ended by {@link Zlib} or a {@link ZlibPool}, which
 * count it. Not thread-safe: one thread uses it at a time.
 */
public interface Compressor {

    /** Which zlib a compressor, or a {@link Decompressor}, runs on. */
    enum Path {
        /** {@code java.util.zip.Deflater} or {@code Inflater}: window bits 15 only. */
        JDK,
        /** libz through the Foreign Function &amp; Memory API (JDK 22+): window bits 9 to 15. */
        NATIVE
    }

    /**
     * Compresses all of {@code payload} with {@code SYNC_FLUSH}, which ends the output on a byte
     * boundary, with an empty stored block ({@code 00 00 ff ff}) if anything was written since the
     * last flush.
     *
     * @return the output, in a heap buffer from position 0 whose array may be changed
     */
    ByteBuffer deflateFlushed(ByteBuffer payload);

    /** Starts a new DEFLATE stream with an empty window, keeping the memory. */
    void reset();

    /** The base-2 logarithm of the LZ77 window: no back-reference reaches further. */
    int windowBits();

    /** The native memory this holds, by zlib's documented formula. */
    long heldBytes();

    /** Which zlib this runs on. */
    Path path();

    /** Frees the native memory; only {@link Zlib#end(Compressor)} calls it, to keep the count. */
    void end();
}
