package dev.weft.ext.deflateframe;

import dev.weft.api.Frame;
import dev.weft.api.extension.ExtensionEncoder;
import dev.weft.ext.zlib.Compressor;
import dev.weft.ext.zlib.Zlib;
import dev.weft.ext.zlib.ZlibPool;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The sending half of deflate-frame: compresses the payload of each outgoing data frame on its
 * own, whatever message it belongs to. Not thread-safe: one connection uses it on one thread.
 *
 * <p>Each payload is deflated and flushed with {@code SYNC_FLUSH}, which ends the output on a byte
 * boundary with an empty stored block; that block's last 4 octets ({@code 00 00 ff ff}) are
 * removed, and the receiver puts them back. Every compressed frame carries RSV1, a continuation
 * frame as much as the first frame of a message, so a message may mix compressed and uncompressed
 * frames. A frame shorter than the threshold, and an empty one, goes as it is, RSV1 clear. Control
 * frames are never compressed.
 *
 * <p>With context takeover the compressor keeps its LZ77 window from frame to frame, so later
 * frames can refer to earlier ones; the zlib context is made for the first compressed frame, so a
 * connection that sends only small frames never holds one, and kept until close. Without it each
 * compressed frame borrows a context from the factory's {@link ZlibPool} and gives it back, reset,
 * so that between frames the connection holds none. A window below 15 bits compresses on native
 * zlib (see {@link Zlib#compressesWith}).
 */
final class FrameDeflater implements ExtensionEncoder {

    /** The end of a flushed DEFLATE stream: an empty stored block's LEN and NLEN. */
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    private final int level;
    private final int threshold;
    private final boolean resetAfterFrame;
    private final int windowBits;
    /** Where a direction without context takeover borrows its context for each frame. */
    private final ZlibPool pool;
    private Compressor compressor;

    /**
     * @param level the zlib compression level, 0 to 9
     * @param threshold frames with fewer payload bytes than this go uncompressed
     * @param resetAfterFrame whether this end compresses without context takeover: each frame
     *     without reference to the ones before, with a context from {@code pool}
     * @param windowBits the LZ77 window agreed for this direction, one {@link Zlib#compressesWith}
     * @param pool compressors at {@code level} to borrow without context takeover
     */
    FrameDeflater(int level, int threshold, boolean resetAfterFrame, int windowBits, ZlibPool pool) {
        this.level = level;
        this.threshold = threshold;
        this.resetAfterFrame = resetAfterFrame;
        this.windowBits = windowBits;
        this.pool = pool;
    }

    /** Whether each frame is compressed without reference to the ones before. */
    boolean resetsAfterFrame() {
        return resetAfterFrame;
    }

    /** A new deflater with these settings and no history; thread-safe, as the settings are final. */
    FrameDeflater copySettings() {
        return new FrameDeflater(level, threshold, resetAfterFrame, windowBits, pool);
    }

    /** Which zlib compresses this direction's frames. */
    Compressor.Path path() {
        return Zlib.pathFor(windowBits);
    }

    /** The frame to send in place of {@code frame}. */
    @Override
    public Frame encode(Frame frame) {
        int length = frame.payloadLength();
        if (frame.opcode().isControl() || length == 0 || length < threshold) {
            return frame;
        }
        return new Frame(frame.fin(), frame.rsv() | Frame.RSV1, frame.opcode(), deflate(frame.payload()));
    }

    private ByteBuffer deflate(ByteBuffer payload) {
        if (compressor == null) {
            compressor = resetAfterFrame ? pool.borrowCompressor(windowBits) : Zlib.newCompressor(level, windowBits);
        }
        ByteBuffer out = compressor.deflateFlushed(payload);
        if (resetAfterFrame) {
            pool.giveBack(compressor);
            compressor = null;
        }
        // A flush after new input always ends with the empty stored block: zlib writes one for
        // SYNC_FLUSH whenever it has written anything since the last flush, and a non-empty
        // payload always makes it write something.
        int length = out.limit();
        if (length < TAIL.length || !Arrays.equals(out.array(), length - TAIL.length, length, TAIL, 0, TAIL.length)) {
            throw new IllegalStateException("zlib's flush did not end with 00 00 ff ff");
        }
        return out.limit(length - TAIL.length);
    }

    /** The native memory this deflater holds: its zlib context, while it has one. */
    @Override
    public long heldBytes() {
        return compressor == null ? 0 : compressor.heldBytes();
    }

    @Override
    public void close() {
        Zlib.end(compressor);
        compressor = null;
    }
}
