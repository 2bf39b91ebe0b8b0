package dev.weft.ext.zlib;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;

/**
 * One raw DEFLATE decompression stream (RFC 1951, no zlib header or checksum, as RFC 7692 §7.2.2
 * receives it): the JDK's {@code Inflater}, which always keeps a 32 KiB window, or on JDK 22 and
 * later native zlib with a smaller one, which reads only data whose back-references stay within
 * it. Its calls follow {@code java.util.zip.Inflater}'s, so {@link SlicedInflater} drives either
 * alike. Made and ended by {@link Zlib} or a {@link ZlibPool}, which count it. Not thread-safe: one
 * thread uses it at a time.
 */
public interface Decompressor {

    /**
     * Takes {@code input} as the data to inflate next: read from its position, which advances as
     * the data is used, and not to be changed until it is used up or {@link #reset()}.
     */
    void setInput(ByteBuffer input);

    /** Whether the input is used up (or none was given): {@link #inflate} would return 0. */
    boolean needsInput();

    /**
     * Inflates into {@code out[offset, offset + length)} until the input is used up, the space is
     * full, or the DEFLATE stream ends with a final block ({@link #finished()}).
     *
     * @return how many bytes it wrote; 0 if it needs input or the stream has finished
     * @throws DataFormatException if the input is not raw DEFLATE data, or refers back further than
     *     the window and this call's own output
     */
    int inflate(byte[] out, int offset, int length) throws DataFormatException;

    /** Whether the stream ended with a block that had BFINAL set; input after it is left unread. */
    boolean finished();

    /** Starts a new DEFLATE stream with an empty window, keeping the memory; drops the input. */
    void reset();

    /** The base-2 logarithm of the LZ77 window: the furthest back-reference it reads. */
    int windowBits();

    /** The native memory this holds, by zlib's documented formula. */
    long heldBytes();

    /** Which zlib this runs on. */
    Compressor.Path path();

    /** Frees the native memory; only {@link Zlib#end(Decompressor)} calls it, to keep the count. */
    void end();
}
