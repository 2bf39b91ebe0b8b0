package dev.weft.ext.deflateframe;

import dev.weft.api.CloseCodes;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketException;

import dev.weft.api.extension.ExtensionDecoder;
import dev.weft.ext.zlib.SlicedInflater;
import dev.weft.ext.zlib.ZlibPool;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;

/**
 * The receiving half of deflate-frame: decompresses each incoming data frame that carries RSV1,
 * and refuses RSV1 on control frames. Not thread-safe: one connection uses it on one thread.
 *
 * <p>Each compressed payload has the 4 octets {@code 00 00 ff ff} the sender removed appended
 * before it is inflated. The inflater keeps its LZ77 window from frame to frame, as the peer's
 * compressor may refer back to earlier frames, unless the peer agreed to compress without context
 * takeover; then it is reset after each frame.
 *
 * <p>Decompression is bounded in memory and in work by a {@link SlicedInflater}. A frame's output
 * is handed back in slices of at most 64 KiB ({@link #decode}, then {@link #decodePending} while
 * {@link #hasPendingOutput}), so one small frame that inflates to megabytes does not hold its
 * connection's thread for long. The frame's inflated size is checked against the maximum frame
 * size as it grows, and the message's (its earlier frames, compressed or not, included) against the
 * maximum message size, and output space is never made for more than one byte past either: a small
 * frame that inflates to gigabytes fails with 1009 having inflated one byte more than the limit.
 * Between frames this holds only the zlib context, made for the first compressed frame received;
 * if the peer compresses without context takeover, not even that: each frame borrows one from the
 * factory's pool and gives it back.
 */
final class FrameInflater implements ExtensionDecoder {

    private final boolean resetAfterFrame;
    private final int maxFrameSize;
    private final int maxMessageSize;
    private final SlicedInflater inflater;
    /** Payload bytes of the data message in progress, after inflation, before the current frame. */
    private long messageSize;
    /** The compressed frame whose output is being handed back, until its last slice; else null. */
    private Frame frame;
    /** The most the current frame may inflate to. */
    private long frameLimit;

    /**
     * @param resetAfterFrame whether the peer compresses without context takeover, so each frame
     *     starts with an empty window
     * @param maxFrameSize the largest inflated frame payload accepted, in bytes
     * @param maxMessageSize the largest inflated message accepted, in bytes
     * @param pool where, without context takeover, each frame borrows its context
     */
    FrameInflater(boolean resetAfterFrame, int maxFrameSize, int maxMessageSize, ZlibPool pool) {
        this.resetAfterFrame = resetAfterFrame;
        this.maxFrameSize = maxFrameSize;
        this.maxMessageSize = maxMessageSize;
        this.inflater = new SlicedInflater(resetAfterFrame ? pool : null);
    }

    /**
     * The frame as the application should see it: inflated if it was compressed, RSV1 clear; for a
     * compressed frame, the first slice of its output.
     *
     * @throws WebSocketException 1002 for RSV1 on a control frame, 1007 for data that is not
     *     DEFLATE, 1009 for a frame or message that inflates past its maximum size
     */
    @Override
    public Frame decode(Frame frame) {
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
        this.frame = frame;
        frameLimit = Math.max(0, Math.min(maxFrameSize, maxMessageSize - messageSize));
        // Each compressed payload had 00 00 ff ff removed by its sender.
        inflater.start(frame.payload(), true, frameLimit);
        return nextSlice(frame.opcode());
    }

    /** Whether the frame last decoded has output still to come. */
    @Override
    public boolean hasPendingOutput() {
        return inflater.pending();
    }

    /** The next slice of the frame last decoded: a continuation frame. */
    @Override
    public Frame decodePending() {
        if (!inflater.pending()) {
            throw new IllegalStateException("no output is pending");
        }
        return nextSlice(Opcode.CONTINUATION);
    }

    /**
     * How many bytes the message in progress has taken so far, after inflation, including what a
     * frame that failed had inflated to when it stopped.
     */
    long messageSize() {
        return frame == null ? messageSize : messageSize + inflater.produced();
    }

    private Frame nextSlice(Opcode opcode) {
        ByteBuffer output;
        try {
            output = inflater.nextSlice();
        } catch (DataFormatException e) {
            // 1007 is the code for "data within a message that was not consistent with the type of
            // the message" (RFC 6455 §7.4.1): a compressed payload that is not DEFLATE data.
            throw new WebSocketException(CloseCodes.INVALID_PAYLOAD, "a compressed frame does not inflate: "
                    + e.getMessage(), e);
        }
        if (inflater.overLimit()) {
            throw tooBig();
        }
        boolean last = !inflater.pending();
        Frame slice = new Frame(last && frame.fin(), frame.rsv() & ~Frame.RSV1, opcode, output);
        if (last) {
            if (resetAfterFrame) {
                inflater.resetStream();
            }
            messageSize += inflater.produced();
            frame = null;
        }
        return slice;
    }

    private WebSocketException tooBig() {
        String what = frameLimit == maxFrameSize
                ? "a compressed frame inflates to more than " + maxFrameSize + " bytes"
                : "a message inflates to more than " + maxMessageSize + " bytes";
        return new WebSocketException(CloseCodes.MESSAGE_TOO_BIG, what);
    }

    /**
     * The memory this inflater holds between calls: its zlib context, once made, and while a
     * frame's output is pending, the buffer of its slices.
     */
    @Override
    public long heldBytes() {
        return inflater.heldBytes();
    }

    @Override
    public void close() {
        inflater.close();
        frame = null;
    }
}
