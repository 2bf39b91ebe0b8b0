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
 * <p>Decompression is bounded: output is produced at most {@link #STEP} bytes at a time, and after
 * each step the frame's inflated size is checked against the maximum frame size and the message's
 * (its earlier frames, compressed or not, included) against the maximum message size. A small frame
 * that would inflate to gigabytes fails with 1009 having allocated no more than the limit allows.
 *
 * <p>The zlib context is made for the first compressed frame received.
 */
final class FrameInflater implements AutoCloseable {

    /** Appended to each compressed payload before it is inflated. */
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    /** The most output one inflate call may produce before the limits are checked again. */
    static final int STEP = 32 * 1024;
    private static final int SMALLEST_OUTPUT = 256;
    private static final int LARGEST_ARRAY = Integer.MAX_VALUE - 8;

    private final boolean resetAfterFrame;
    private final int maxFrameSize;
    private final int maxMessageSize;
    private Inflater inflater;
    /** Payload bytes of the data message in progress, after inflation, before the current frame. */
    private long messageSize;
    /** Whether the inflater's current DEFLATE stream has been given any data since it began. */
    private boolean streamStarted;

    /** This frame's inflated bytes, in {@code out[0..outLength)}, and the most it may take. */
    private byte[] out;
    private int outLength;
    private long frameLimit;

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
     * The frame as the application should see it: inflated if it was compressed, RSV1 clear.
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
        frameLimit = Math.max(0, Math.min(maxFrameSize, maxMessageSize - messageSize));
        out = new byte[(int) room(Math.min(Math.max(frame.payloadLength() * 4L, SMALLEST_OUTPUT), STEP))];
        outLength = 0;
        inflate(frame.payload(), false);
        // Not into a stream that has had no data, as after a stream the frame ended with a final
        // block: the tail would begin it as a stored block with a bad length.
        if (streamStarted) {
            inflate(ByteBuffer.wrap(TAIL), true);
        }
        if (resetAfterFrame) {
            inflater.reset();
            streamStarted = false;
        }
        messageSize += outLength;
        Frame inflated = new Frame(frame.fin(), frame.rsv() & ~Frame.RSV1, frame.opcode(),
                ByteBuffer.wrap(out, 0, outLength));
        out = null;
        outLength = 0;
        return inflated;
    }

    /**
     * How many bytes the message in progress has taken so far, after inflation, including what a
     * frame that failed had inflated to when it stopped.
     */
    long messageSize() {
        return messageSize + outLength;
    }

    /**
     * Inflates all of {@code input} into {@link #out}.
     *
     * @param tail whether {@code input} is the appended tail, which is dropped if the stream ends
     *     before it is used up
     */
    private void inflate(ByteBuffer input, boolean tail) {
        if (inflater == null) {
            inflater = Zlib.newInflater();
        }
        streamStarted |= input.hasRemaining();
        inflater.setInput(input);
        try {
            while (true) {
                if (outLength == out.length) {
                    grow();
                }
                int n = inflater.inflate(out, outLength, Math.min(STEP, out.length - outLength));
                outLength += n;
                if (outLength > frameLimit) {
                    throw tooBig();
                }
                if (n > 0) {
                    continue;
                }
                if (!inflater.finished()) {
                    break; // a raw inflater that produces nothing needs more input
                }
                // The peer ended a DEFLATE stream with a final block (as some compressors without
                // context takeover do); the frame's data that follows, if any, starts another.
                inflater.reset();
                streamStarted = false;
                if (tail || !input.hasRemaining()) {
                    break;
                }
                streamStarted = true;
                inflater.setInput(input);
            }
        } catch (DataFormatException e) {
            // 1007 is the code for "data within a message that was not consistent with the type of
            // the message" (RFC 6455 §7.4.1): a compressed payload that is not DEFLATE data.
            throw new WebSocketException(CloseCodes.INVALID_PAYLOAD, "a compressed frame does not inflate: "
                    + e.getMessage(), e);
        }
    }

    private WebSocketException tooBig() {
        String what = frameLimit == maxFrameSize
                ? "a compressed frame inflates to more than " + maxFrameSize + " bytes"
                : "a message inflates to more than " + maxMessageSize + " bytes";
        return new WebSocketException(CloseCodes.MESSAGE_TOO_BIG, what);
    }

    /** Makes room for more output: doubling, but at most {@link #room}. */
    private void grow() {
        if (out.length == LARGEST_ARRAY) {
            throw tooBig();
        }
        out = Arrays.copyOf(out, (int) Math.min(outLength + room(Math.max(out.length, STEP)), LARGEST_ARRAY));
    }

    /**
     * {@code wanted} more bytes of output space, or fewer: never more than the frame may still
     * take plus the one byte that shows it went over, so a frame over its limit costs no more
     * memory than one at the limit.
     */
    private long room(long wanted) {
        return Math.min(wanted, frameLimit - outLength + 1);
    }

    /**
     * The memory this inflater holds between calls: its zlib context, once made. Its output buffer
     * is handed over with the frame it returns and not kept.
     */
    long heldBytes() {
        return inflater == null ? 0 : Zlib.INFLATER_BYTES;
    }

    @Override
    public void close() {
        Zlib.end(inflater);
        inflater = null;
    }
}
