package dev.weft.ext.deflateframe;

import dev.weft.api.CloseCodes;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketException;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The receiving half of deflate-frame: decompresses each incoming data frame that carries RSV1,
 * and refuses RSV1 on control frames. Not thread-safe: one connection uses it on one thread.
 *
 * <p>Each compressed payload has the 4 octets {@code 00 00 ff ff} the sender removed appended
 * before it is inflated. The inflater keeps its LZ77 window from frame to frame, as the peer's
 * compressor may refer back to earlier frames, unless the peer agreed to compress without context
 * takeover; then it is reset after each frame.
 *
 * <p>Decompression is bounded in memory and in work. A frame's output is handed back in slices of
 * at most {@link #SLICE} bytes ({@link #decode}, then {@link #decodePending} while
 * {@link #hasPendingOutput}), so one small frame that inflates to megabytes does not hold its
 * connection's thread for long. The frame's inflated size is checked against the maximum frame
 * size as it grows, and the message's (its earlier frames, compressed or not, included) against the
 * maximum message size, and output space is never made for more than one byte past either: a small
 * frame that inflates to gigabytes fails with 1009 having inflated one byte more than the limit.
 *
 * <p>One slice's buffer is reused for the next slice of the same frame (the engine consumes each
 * slice before it asks for the next) and dropped after the last, so between frames this holds only
 * the zlib context, made for the first compressed frame received.
 */
final class FrameInflater implements AutoCloseable {

    /** Appended to each compressed payload before it is inflated. */
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    /** The most output one call hands back. */
    static final int SLICE = 64 * 1024;
    private static final int SMALLEST_OUTPUT = 256;

    private final boolean resetAfterFrame;
    private final int maxFrameSize;
    private final int maxMessageSize;
    private Inflater inflater;
    /** Payload bytes of the data message in progress, after inflation, before the current frame. */
    private long messageSize;
    /** Whether the inflater's current DEFLATE stream has been given any data since it began. */
    private boolean streamStarted;

    /** The compressed frame whose output is being handed back, until its last slice; else null. */
    private Frame frame;
    /** What the inflater reads: the frame's payload, then the tail. */
    private ByteBuffer input;
    private boolean tailDue;
    private boolean readingTail;
    /** Bytes the current frame has inflated to so far, and the most it may take. */
    private long frameSize;
    private long frameLimit;
    /** Output space for the current slice. */
    private byte[] out;
    private boolean pending;

    /**
     * @param resetAfterFrame whether the peer compresses without context takeover, so each frame
     *     starts with an empty window
     * @param maxFrameSize the largest inflated frame payload accepted, in bytes
     * @param maxMessageSize the largest inflated message accepted, in bytes
     */
    FrameInflater(boolean resetAfterFrame, int maxFrameSize, int maxMessageSize) {
        this.resetAfterFrame = resetAfterFrame;
        this.maxFrameSize = maxFrameSize;
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * The frame as the application should see it: inflated if it was compressed, RSV1 clear; for a
     * compressed frame, the first slice of its output.
     *
     * @throws WebSocketException 1002 for RSV1 on a control frame, 1007 for data that is not
     *     DEFLATE, 1009 for a frame or message that inflates past its maximum size
     */
    Frame decode(Frame frame) {
        if (frame.opcode().isControl()) {
            // Control frames are never compressed, so RSV1 on one means nothing the extension
            // defines; "If a nonzero value is received and none of the negotiated extensions defines
            // the meaning of such a nonzero value, the receiving endpoint MUST _Fail the WebSocket
            // Connection_." (RFC 6455 §5.2)
            if (frame.rsv1()) {
                throw new WebSocketException(CloseCodes.PROTOCOL_ERROR, "RSV1 set on a " + frame.opcode()
                        + " frame: control frames are never compressed");
            }
            return frame;
        }
        if (frame.opcode() != Opcode.CONTINUATION) {
            messageSize = 0;
        }
        if (!frame.rsv1()) {
            messageSize += frame.payloadLength();
            return frame;
        }
        if (inflater == null) {
            inflater = Zlib.newInflater();
        }
        this.frame = frame;
        input = frame.payload();
        tailDue = true;
        readingTail = false;
        frameSize = 0;
        frameLimit = Math.max(0, Math.min(maxFrameSize, maxMessageSize - messageSize));
        out = new byte[(int) room(Math.min(Math.max(frame.payloadLength() * 4L, SMALLEST_OUTPUT), SLICE))];
        return nextSlice(frame.opcode());
    }

    /** Whether the frame last decoded has output still to come. */
    boolean hasPendingOutput() {
        return pending;
    }

    /** The next slice of the frame last decoded: a continuation frame. */
    Frame decodePending() {
        if (!pending) {
            throw new IllegalStateException("no output is pending");
        }
        return nextSlice(Opcode.CONTINUATION);
    }

    /**
     * How many bytes the message in progress has taken so far, after inflation, including what a
     * frame that failed had inflated to when it stopped.
     */
    long messageSize() {
        return messageSize + frameSize;
    }

    private Frame nextSlice(Opcode opcode) {
        int length = fill();
        Frame slice = new Frame(!pending && frame.fin(), frame.rsv() & ~Frame.RSV1, opcode,
                ByteBuffer.wrap(out, 0, length));
        if (!pending) {
            if (resetAfterFrame) {
                inflater.reset();
                streamStarted = false;
            }
            messageSize += frameSize;
            frameSize = 0;
            frame = null;
            input = null;
            out = null;
        }
        return slice;
    }

    /**
     * Inflates into {@link #out} until it holds a whole slice (then {@link #pending} is set: more
     * may follow) or the input is used up.
     *
     * @return how many bytes of {@code out} were filled
     */
    private int fill() {
        int length = 0;
        try {
            while (true) {
                if (length == out.length) {
                    if (length == SLICE) {
                        pending = true;
                        return length;
                    }
                    // Doubling up to a slice, never more than the frame may still take plus one.
                    out = Arrays.copyOf(out, (int) Math.min(Math.min(SLICE, 2L * length), length + room(SLICE)));
                }
                if (inflater.needsInput() && !nextInput()) {
                    pending = false;
                    return length;
                }
                int n = inflater.inflate(out, length, (int) Math.min(out.length - length, room(SLICE)));
                length += n;
                frameSize += n;
                if (frameSize > frameLimit) {
                    throw tooBig();
                }
                if (inflater.finished()) {
                    endStream();
                }
            }
        } catch (DataFormatException e) {
            // 1007 is the code for "data within a message that was not consistent with the type of
            // the message" (RFC 6455 §7.4.1): a compressed payload that is not DEFLATE data.
            throw new WebSocketException(CloseCodes.INVALID_PAYLOAD, "a compressed frame does not inflate: "
                    + e.getMessage(), e);
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
            // Not into a stream that has had no data, as after a stream the frame ended with a final
            // block: the tail would begin it as a stored block with a bad length.
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
     * The peer ended a DEFLATE stream with a final block (as some compressors without context
     * takeover do); the frame's data that follows, if any, starts another. What is left of the tail
     * is dropped: it belongs to no stream.
     */
    private void endStream() {
        inflater.reset();
        streamStarted = false;
        if (readingTail) {
            input.position(input.limit());
        }
    }

    private WebSocketException tooBig() {
        String what = frameLimit == maxFrameSize
                ? "a compressed frame inflates to more than " + maxFrameSize + " bytes"
                : "a message inflates to more than " + maxMessageSize + " bytes";
        return new WebSocketException(CloseCodes.MESSAGE_TOO_BIG, what);
    }

    /**
     * {@code wanted} more bytes of output space, or fewer: never more than the frame may still
     * take plus the one byte that shows it went over, so a frame over its limit costs no more
     * memory than one at the limit.
     */
    private long room(long wanted) {
        return Math.min(wanted, frameLimit - frameSize + 1);
    }

    /**
     * The memory this inflater holds between calls: its zlib context, once made, and while a
     * frame's output is pending, the buffer of its slices.
     */
    long heldBytes() {
        return (inflater == null ? 0 : Zlib.INFLATER_BYTES) + (out == null ? 0 : out.length);
    }

    @Override
    public void close() {
        Zlib.end(inflater);
        inflater = null;
        frame = null;
        input = null;
        out = null;
        pending = false;
    }
}
