package dev.weft.ext.permessagedeflate;

import dev.weft.api.CloseCodes;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketException;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The receiving half of permessage-deflate: decompresses incoming messages as RFC 7692 §7.2.2
 * describes, frame by frame as they arrive, and enforces the rules on RSV1. Not thread-safe: one
 * connection uses it on one thread.
 *
 * <p>Decompression is bounded: output is produced at most {@link #STEP} bytes at a time and the
 * message's inflated size is checked after each step against the maximum message size, across all
 * of the message's frames, so a small message that inflates to gigabytes fails with 1009 having
 * allocated no more than the limit allows.
 *
 * <p>The zlib context is made on the first compressed message received.
 */
final class MessageInflater implements AutoCloseable {

    /** Appended to a message's data before inflating it (RFC 7692 §7.2.2). */
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    /** The most output one inflate call may produce before the size limit is checked again. */
    static final int STEP = 32 * 1024;
    private static final int SMALLEST_OUTPUT = 256;
    private static final int LARGEST_ARRAY = Integer.MAX_VALUE - 8;

    private final boolean resetAfterMessage;
    private final int maxMessageSize;
    private Inflater inflater;
    /** Whether the data message in progress is compressed; set by its first frame. */
    private boolean inflating;
    /** Bytes inflated so far for the message in progress. */
    private long messageSize;
    /** Whether the inflater's current DEFLATE stream has been given any data since it began. */
    private boolean streamStarted;

    /** This frame's inflated bytes, in {@code out[0..outLength)}. */
    private byte[] out;
    private int outLength;

    /**
     * @param resetAfterMessage whether the peer uses no context takeover, so each message starts a
     *     fresh DEFLATE stream
     * @param maxMessageSize the largest inflated message accepted, in bytes
     */
    MessageInflater(boolean resetAfterMessage, int maxMessageSize) {
        this.resetAfterMessage = resetAfterMessage;
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * The frame as the application should see it: inflated, RSV1 clear.
     *
     * @throws WebSocketException 1002 for RSV1 where it must not be, 1007 for data that is not
     *     DEFLATE, 1009 for a message that inflates past the maximum message size
     */
    Frame decode(Frame frame) {
        // "An endpoint MUST NOT set the "Per-Message Compressed" bit of control frames and non-first
        // fragments of a data message. An endpoint receiving such a frame MUST _Fail the WebSocket
        // Connection_." (RFC 7692 §6)
        if (frame.opcode().isControl()) {
            if (frame.rsv1()) {
                throw new WebSocketException(CloseCodes.PROTOCOL_ERROR, "RSV1 set on a " + frame.opcode()
                        + " frame: control frames are never compressed");
            }
            return frame;
        }
        if (frame.opcode() != Opcode.CONTINUATION) {
            inflating = frame.rsv1();
            messageSize = 0;
        } else if (frame.rsv1()) {
            throw new WebSocketException(CloseCodes.PROTOCOL_ERROR,
                    "RSV1 set on a continuation frame: only a message's first frame carries it");
        }
        if (!inflating) {
            return frame;
        }
        out = new byte[(int) room(Math.min(Math.max(frame.payloadLength() * 4L, SMALLEST_OUTPUT), STEP))];
        outLength = 0;
        inflate(frame.payload(), false);
        if (frame.fin()) {
            // "Append 4 octets of 0x00 0x00 0xff 0xff to the tail end of the payload of the
            // message." (RFC 7692 §7.2.2) Not into a stream that has had no data, as after a stream
            // the message ended with a BFINAL block: the tail would begin it as a stored block with
            // a bad length.
            if (streamStarted) {
                inflate(ByteBuffer.wrap(TAIL), true);
            }
            if (resetAfterMessage) {
                inflater.reset();
                streamStarted = false;
            }
        }
        Frame inflated = new Frame(frame.fin(), frame.rsv() & ~Frame.RSV1, frame.opcode(),
                ByteBuffer.wrap(out, 0, outLength));
        out = null;
        return inflated;
    }

    /** How many bytes the message in progress has inflated to so far. */
    long messageSize() {
        return messageSize;
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
                messageSize += n;
                if (messageSize > maxMessageSize) {
                    throw new WebSocketException(CloseCodes.MESSAGE_TOO_BIG, "a compressed message inflates to more"
                            + " than " + maxMessageSize + " bytes");
                }
                if (n > 0) {
                    continue;
                }
                if (!inflater.finished()) {
                    break; // a raw inflater that produces nothing needs more input
                }
                // The peer ended a DEFLATE stream with a "BFINAL" block; the message's data that
                // follows, if any, starts another ("implementors can choose to flush data using
                // DEFLATE blocks with "BFINAL" set to 1", RFC 7692 §7.2.3.4).
                inflater.reset();
                streamStarted = false;
                if (tail || !input.hasRemaining()) {
                    break;
                }
                streamStarted = true;
                inflater.setInput(input);
            }
        } catch (DataFormatException e) {
            // RFC 7692 §7.2.2 gives no code for data that does not inflate. 1007 is the one for
            // "data within a message that was not consistent with the type of the message" (RFC 6455
            // §7.4.1): the compressed payload of a message is not DEFLATE data.
            throw new WebSocketException(CloseCodes.INVALID_PAYLOAD, "a compressed message does not inflate: "
                    + e.getMessage(), e);
        }
    }

    /** Makes room for more output: doubling, but at most {@link #room}. */
    private void grow() {
        out = Arrays.copyOf(out, (int) Math.min(outLength + room(Math.max(out.length, STEP)), LARGEST_ARRAY));
    }

    /**
     * {@code wanted} bytes of output space, or less: never more than the message may still take
     * plus the one byte that shows it went over, so a message over the limit costs no more memory
     * than one at the limit.
     */
    private long room(long wanted) {
        return Math.min(wanted, maxMessageSize - messageSize + 1);
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
