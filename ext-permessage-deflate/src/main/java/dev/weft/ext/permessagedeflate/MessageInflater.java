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
 * <p>Decompression is bounded in memory and in work. A frame's output is handed back in slices of
 * at most {@link #SLICE} bytes ({@link #decode}, then {@link #decodePending} while
 * {@link #hasPendingOutput}), so one small frame that inflates to megabytes does not hold its
 * connection's thread for long. The message's inflated size is checked against the maximum message
 * size as it grows, across all of the message's frames, and output space is never made for more
 * than one byte past it: a small message that inflates to gigabytes fails with 1009 having
 * inflated one byte more than the limit.
 *
 * <p>One slice's buffer is reused for the next slice of the same frame (the engine consumes each
 * slice before it asks for the next) and dropped after the last, so between frames this holds only
 * the zlib context, made on the first compressed message received.
 */
final class MessageInflater implements AutoCloseable {

    /** Appended to a message's data before inflating it (RFC 7692 §7.2.2). */
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    /** The most output one call hands back. */
    static final int SLICE = 64 * 1024;
    private static final int SMALLEST_OUTPUT = 256;

    private final boolean resetAfterMessage;
    private final int maxMessageSize;
    private Inflater inflater;
    /** Whether the data message in progress is compressed; set by its first frame. */
    private boolean inflating;
    /** Bytes inflated so far for the message in progress. */
    private long messageSize;
    /** Whether the inflater's current DEFLATE stream has been given any data since it began. */
    private boolean streamStarted;

    /** The compressed frame whose output is being handed back, until its last slice; else null. */
    private Frame frame;
    /** What the inflater reads: the frame's payload, then the tail if the frame ends the message. */
    private ByteBuffer input;
    private boolean tailDue;
    private boolean readingTail;
    /** Output space for the current slice. */
    private byte[] out;
    private boolean pending;

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
     * The frame as the application should see it: inflated, RSV1 clear; for a compressed frame,
     * the first slice of its output.
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
        if (inflater == null) {
            inflater = Zlib.newInflater();
        }
        this.frame = frame;
        input = frame.payload();
        // "Append 4 octets of 0x00 0x00 0xff 0xff to the tail end of the payload of the message."
        // (RFC 7692 §7.2.2)
        tailDue = frame.fin();
        readingTail = false;
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

    /** How many bytes the message in progress has inflated to so far. */
    long messageSize() {
        return messageSize;
    }

    private Frame nextSlice(Opcode opcode) {
        int length = fill();
        Frame slice = new Frame(!pending && frame.fin(), frame.rsv() & ~Frame.RSV1, opcode,
                ByteBuffer.wrap(out, 0, length));
        if (!pending) {
            if (frame.fin() && resetAfterMessage) {
                inflater.reset();
                streamStarted = false;
            }
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
                    // Doubling up to a slice, never more than the message may still take plus one.
                    out = Arrays.copyOf(out, (int) Math.min(Math.min(SLICE, 2L * length), length + room(SLICE)));
                }
                if (inflater.needsInput() && !nextInput()) {
                    pending = false;
                    return length;
                }
                int n = inflater.inflate(out, length, (int) Math.min(out.length - length, room(SLICE)));
                length += n;
                messageSize += n;
                if (messageSize > maxMessageSize) {
                    throw new WebSocketException(CloseCodes.MESSAGE_TOO_BIG, "a compressed message inflates to more"
                            + " than " + maxMessageSize + " bytes");
                }
                if (inflater.finished()) {
                    endStream();
                }
            }
        } catch (DataFormatException e) {
            // RFC 7692 §7.2.2 gives no code for data that does not inflate. 1007 is the one for
            // "data within a message that was not consistent with the type of the message" (RFC 6455
            // §7.4.1): the compressed payload of a message is not DEFLATE data.
            throw new WebSocketException(CloseCodes.INVALID_PAYLOAD, "a compressed message does not inflate: "
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
            // Not into a stream that has had no data, as after a stream the message ended with a
            // BFINAL block: the tail would begin it as a stored block with a bad length.
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
     * The peer ended a DEFLATE stream with a "BFINAL" block; the message's data that follows, if
     * any, starts another ("implementors can choose to flush data using DEFLATE blocks with
     * "BFINAL" set to 1", RFC 7692 §7.2.3.4). What is left of the tail is dropped: it belongs to no
     * stream.
     */
    private void endStream() {
        inflater.reset();
        streamStarted = false;
        if (readingTail) {
            input.position(input.limit());
        }
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
