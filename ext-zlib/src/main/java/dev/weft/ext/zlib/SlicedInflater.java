package dev.weft.ext.zlib;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;

/**
 * Inflates one compressed payload at a time, bounded in memory and in work, for both DEFLATE
 * extensions: the output is handed back in slices of at most {@link #SLICE} bytes, and output space
 * grows with what the data inflated to, never more than one byte past the payload's limit. Not
 * thread-safe: one connection uses it on one thread.
 *
 * <p>A payload is begun with {@link #start}; each {@link #nextSlice} call then inflates until it
 * has a whole slice ({@link #pending()} is then true: more may follow), the input is used up, or the
 * output went past the limit ({@link #overLimit()}; the caller fails the connection with its own
 * words). One slice's buffer is reused for the next slice of the same payload (the engine consumes
 * each slice before it asks for the next) and dropped after the last, so between payloads this
 * holds only the zlib context, made for the first payload. The DEFLATE stream, and so the LZ77
 * window, carries over from payload to payload until {@link #resetStream()}.
 *
 * <p>Made with a {@link ZlibPool}, it holds a context only from a stream's first payload to
 * {@link #resetStream()}: it borrows one there and gives it back then, so that a peer compressing
 * without context takeover costs no zlib state between its messages. Made with a window below 15
 * bits, it keeps its context on native zlib with that window (a peer that agreed to compress within
 * it, RFC 7692 §7.1.2.2), and fails data that refers back further as it fails any bad data. The
 * slices and the limit are the same on either zlib: the loop below drives a {@link Decompressor}.
 */
public final class SlicedInflater implements AutoCloseable {

    /** The most output one call hands back. */
    public static final int SLICE = 64 * 1024;
    /** Appended to a payload whose sender removed it after its flush (RFC 7692 §7.2.2). */
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    private static final int SMALLEST_OUTPUT = 256;

    /** Where the context comes from and goes back to between streams; null: it is kept until close. */
    private final ZlibPool pool;
    /** The window of a context kept until close. */
    private final int windowBits;
    private Decompressor inflater;
    /** Whether the inflater's current DEFLATE stream has been given any data since it began. */
    private boolean streamStarted;

    /** What the inflater reads: the payload, then the tail if it is due. */
    private ByteBuffer input;
    private boolean tailDue;
    private boolean readingTail;
    /** Bytes the current payload has inflated to so far, and the most it may take. */
    private long produced;
    private long limit;
    /** Output space for the current slice; null between payloads. */
    private byte[] out;
    private boolean pending;

    /**
     * An inflater that makes its context, with a 15-bit window that reads any data, for the first
     * payload and keeps it until {@link #close()}.
     */
    public SlicedInflater() {
        this(null, Zlib.MAX_WINDOW_BITS);
    }

    /**
     * An inflater that borrows its context from {@code pool} for each stream, from its first payload
     * to {@link #resetStream()}; {@code null}: kept until {@link #close()}, as the one above.
     */
    public SlicedInflater(ZlibPool pool) {
        this(pool, Zlib.MAX_WINDOW_BITS);
    }

    /**
     * An inflater that makes its context with a window of 2<sup>windowBits</sup> bytes for the first
     * payload and keeps it until {@link #close()}.
     *
     * @throws IllegalArgumentException unless {@link Zlib#decompressesWith(int) Zlib.decompressesWith(windowBits)}
     */
    public SlicedInflater(int windowBits) {
        this(null, windowBits);
        if (!Zlib.decompressesWith(windowBits)) {
            throw new IllegalArgumentException("no decompressor keeps to window bits " + windowBits);
        }
    }

    private SlicedInflater(ZlibPool pool, int windowBits) {
        this.pool = pool;
        this.windowBits = windowBits;
    }

    /**
     * Begins inflating {@code payload}, which is read from its position and must stay unchanged
     * until the last slice.
     *
     * @param appendTail whether {@code 00 00 ff ff} follows the payload
     * @param limit the most bytes the payload may inflate to
     */
    public void start(ByteBuffer payload, boolean appendTail, long limit) {
        if (inflater == null) {
            inflater = pool == null ? Zlib.newDecompressor(windowBits) : pool.borrowDecompressor();
        }
        input = payload;
        tailDue = appendTail;
        readingTail = false;
        produced = 0;
        this.limit = limit;
        out = new byte[(int) room(Math.min(Math.max(payload.remaining() * 4L, SMALLEST_OUTPUT), SLICE))];
    }

    /**
     * The next slice of the payload's output: a view of a buffer that the slice after it reuses.
     *
     * @throws DataFormatException if the payload is not DEFLATE data, or refers back further than
     *     the window
     */
    public ByteBuffer nextSlice() throws DataFormatException {
        int length = fill();
        ByteBuffer slice = ByteBuffer.wrap(out, 0, length);
        if (!pending) {
            input = null;
            out = null;
        }
        return slice;
    }

    /** Whether the payload has output still to come. */
    public boolean pending() {
        return pending;
    }

    /**
     * How many bytes the payload last started has inflated to so far; once it went past its limit,
     * exactly one more than the limit.
     */
    public long produced() {
        return produced;
    }

    /** Whether the payload inflated to more than its limit: the slice last returned is not whole. */
    public boolean overLimit() {
        return produced > limit;
    }

    /**
     * Starts the next payload with a new DEFLATE stream and an empty window; a borrowed context goes
     * back to its pool until then.
     */
    public void resetStream() {
        if (pool != null) {
            pool.giveBack(inflater);
            inflater = null;
        } else if (inflater != null) {
            inflater.reset();
        }
        streamStarted = false;
    }

    private int fill() throws DataFormatException {
        int length = 0;
        while (true) {
            if (length == out.length) {
                if (length == SLICE) {
                    pending = true;
                    return length;
                }
                // Doubling up to a slice, never more than the payload may still take plus one.
                out = Arrays.copyOf(out, (int) Math.min(Math.min(SLICE, 2L * length), length + room(SLICE)));
            }
            if (inflater.needsInput() && !nextInput()) {
                pending = false;
                return length;
            }
            int n = inflater.inflate(out, length, (int) Math.min(out.length - length, room(SLICE)));
            length += n;
            produced += n;
            if (overLimit()) {
                pending = false;
                return length;
            }
            if (inflater.finished()) {
                endStream();
            }
        }
    }

    /**
     * Gives the inflater the rest of the payload, or else the tail if it is due.
     *
     * @return false if there is nothing left to give
     */
    private boolean nextInput() {
        if (!input.hasRemaining() && tailDue) {
            tailDue = false;
            // Not into a stream that has had no data, as after a stream the payload ended with a
            // final block: the tail would begin it as a stored block with a bad length.
            if (streamStarted) {
                input = ByteBuffer.wrap(TAIL);
                readingTail = true;
            }
        }
        if (!input.hasRemaining()) {
            return false;
        }
        streamStarted = true;
        inflater.setInput(input);
        return true;
    }

    /**
     * The peer ended a DEFLATE stream with a final block ("implementors can choose to flush data
     * using DEFLATE blocks with "BFINAL" set to 1", RFC 7692 §7.2.3.4); the payload's data that
     * follows, if any, starts another. What is left of the tail is dropped: it belongs to no stream.
     */
    private void endStream() {
        inflater.reset();
        streamStarted = false;
        if (readingTail) {
            input.position(input.limit());
        }
    }

    /**
     * {@code wanted} more bytes of output space, or fewer: never more than the payload may still
     * take plus the one byte that shows it went over, so a payload over its limit costs no more
     * memory than one at the limit.
     */
    private long room(long wanted) {
        return Math.min(wanted, limit - produced + 1);
    }

    /**
     * The memory this holds between calls: the zlib context, once made, and while a payload's
     * output is pending, the buffer of its slices.
     */
    public long heldBytes() {
        return (inflater == null ? 0 : inflater.heldBytes()) + (out == null ? 0 : out.length);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.giveBack(inflater);
        } else {
            Zlib.end(inflater);
        }
        inflater = null;
        input = null;
        out = null;
        pending = false;
    }
}
