package dev.weft.ext.permessagedeflate;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.extension.ExtensionEncoder;
import dev.weft.ext.zlib.Compressor;
import dev.weft.ext.zlib.Zlib;
import dev.weft.ext.zlib.ZlibPool;

import java.nio.ByteBuffer;

/**
 * The sending half of permessage-deflate: compresses outgoing data messages as RFC 7692 §7.2.1
 * describes, frame by frame, so that a message sent in parts is compressed in parts. Not
 * thread-safe: one connection uses it on one thread.
 *
 * <p>Each frame's payload is deflated and flushed with {@code SYNC_FLUSH}, which ends the output
 * on a byte boundary with an empty stored block ({@code 00 00 ff ff}); only the last frame of a
 * message has that block removed. The first frame of a compressed message carries RSV1, the others
 * do not. RSV1 (the "Per-Message Compressed" bit, RFC 7692 §6) says of each message whether it is
 * compressed, so a message that fits in one frame and is shorter than the threshold is sent as it
 * is, RSV1 clear: compressing it would save little or even grow it. A message sent in parts is
 * always compressed, since its size is unknown when its first frame goes out. Control frames are
 * never compressed: RFC 7692 §6 compresses data messages only.
 *
 * <p>With context takeover the zlib context is made on the first compressed message, so a
 * connection that sends only small messages never holds one, and kept until close. Without it, each
 * compressed message borrows a context from the factory's {@link ZlibPool} at its first frame and
 * gives it back, reset, after its last, so that between messages the connection holds none. A
 * window below 15 bits compresses on native zlib (see {@link Zlib#compressesWith}).
 */
final class MessageDeflater implements ExtensionEncoder {

    /** The end of a flushed DEFLATE stream: an empty stored block's LEN and NLEN. */
    private static final int TAIL_LENGTH = 4;

    private final int level;
    private final int threshold;
    private final boolean resetAfterMessage;
    private final int windowBits;
    /** Where a direction without context takeover borrows its context for each message. */
    private final ZlibPool pool;
    private Compressor compressor;
    /** Whether the data message in progress is being compressed; set by its first frame. */
    private boolean compressing;

    /**
     * @param level the zlib compression level, 0 to 9
     * @param threshold messages in one frame shorter than this many bytes go uncompressed
     * @param resetAfterMessage whether this direction uses no context takeover: each message is
     *     compressed without reference to the ones before, with a context from {@code pool}
     * @param windowBits the LZ77 window agreed for this direction, one {@link Zlib#compressesWith}
     * @param pool compressors at {@code level} to borrow without context takeover
     */
    MessageDeflater(int level, int threshold, boolean resetAfterMessage, int windowBits, ZlibPool pool) {
        this.level = level;
        this.threshold = threshold;
        this.resetAfterMessage = resetAfterMessage;
        this.windowBits = windowBits;
        this.pool = pool;
    }

    /** Whether each message is compressed without reference to the ones before. */
    boolean resetsAfterMessage() {
        return resetAfterMessage;
    }

    /** A new deflater with these settings and no history; thread-safe, as the settings are final. */
    MessageDeflater copySettings() {
        return new MessageDeflater(level, threshold, resetAfterMessage, windowBits, pool);
    }

    /** Which zlib compresses this direction's messages. */
    Compressor.Path path() {
        return Zlib.pathFor(windowBits);
    }

    /** The frame to send in place of {@code frame}. */
    @Override
    public Frame encode(Frame frame) {
        if (frame.opcode().isControl()) {
            return frame;
        }
        boolean first = frame.opcode() != Opcode.CONTINUATION;
        if (first) {
            compressing = !frame.fin() || frame.payloadLength() >= threshold;
        }
        if (!compressing) {
            return frame;
        }
        ByteBuffer compressed = deflate(frame.payload(), frame.fin());
        // "the RSV1 bit is set only on the first frame" (RFC 7692 §7.2.3.1)
        int rsv = first ? frame.rsv() | Frame.RSV1 : frame.rsv();
        return new Frame(frame.fin(), rsv, frame.opcode(), compressed);
    }

    private ByteBuffer deflate(ByteBuffer payload, boolean endOfMessage) {
        if (compressor == null) {
            compressor = resetAfterMessage ? pool.borrowCompressor(windowBits) : Zlib.newCompressor(level, windowBits);
        }
        ByteBuffer out = compressor.deflateFlushed(payload);
        if (endOfMessage) {
            endMessage(out);
            if (resetAfterMessage) {
                pool.giveBack(compressor);
                compressor = null;
            }
        }
        return out;
    }

    /**
     * Ends the message's compressed data as RFC 7692 §7.2.1 asks: "If the resulting data does not
     * end with an empty DEFLATE block with no compression [...], append an empty DEFLATE block with
     * no compression to the tail end. Remove 4 octets (that are 0x00 0x00 0xff 0xff) from the tail
     * end."
     */
    private static void endMessage(ByteBuffer out) {
        byte[] bytes = out.array();
        int length = out.limit();
        if (length >= TAIL_LENGTH && bytes[length - 4] == 0 && bytes[length - 3] == 0
                && bytes[length - 2] == (byte) 0xff && bytes[length - 1] == (byte) 0xff) {
            out.limit(length - TAIL_LENGTH);
            return;
        }
        // zlib writes nothing for a flush with no new input since the last flush (an empty last
        // frame, or an empty message after another): the data sent so far already ends with an
        // empty block, but that is in an earlier frame. Appending an empty block here and removing
        // its last 4 octets leaves its header octet, 0x00 (RFC 7692 §7.2.3.6).
        bytes[0] = 0;
        out.limit(1);
    }

    /** The native memory this deflater holds: its zlib context, while it has one. */
    @Override
    public long heldBytes() {
        return compressor == null ? 0 : compressor.heldBytes();
    }

    /** Ends the context, or gives a borrowed one back, as when a connection closes mid-message. */
    @Override
    public void close() {
        if (resetAfterMessage) {
            pool.giveBack(compressor);
        } else {
            Zlib.end(compressor);
        }
        compressor = null;
    }
}
