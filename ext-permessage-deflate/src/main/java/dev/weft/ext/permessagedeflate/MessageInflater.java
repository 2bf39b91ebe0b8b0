package dev.weft.ext.permessagedeflate;

import dev.weft.api.CloseCodes;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.ExtensionDecoder;
import dev.weft.ext.zlib.Compressor;
import dev.weft.ext.zlib.SlicedInflater;
import dev.weft.ext.zlib.Zlib;
import dev.weft.ext.zlib.ZlibPool;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;

/**
 * The receiving half of permessage-deflate: decompresses incoming messages as RFC 7692 §7.2.2
 * describes, frame by frame as they arrive, and enforces the rules on RSV1. Not thread-safe: one
 * connection uses it on one thread.
 *
 * <p>Decompression is bounded in memory and in work by a {@link SlicedInflater}: a frame's output
 * is handed back in slices of at most 64 KiB ({@link #decode}, then {@link #decodePending} while
 * {@link #hasPendingOutput}), so one small frame that inflates to megabytes does not hold its
 * connection's thread for long. The message's inflated size is checked against the maximum message
 * size as it grows, across all of the message's frames, and output space is never made for more
 * than one byte past it: a small message that inflates to gigabytes fails with 1009 having
 * inflated one byte more than the limit. Between frames this holds only the zlib context, made on
 * the first compressed message received; if the peer compresses without context takeover, the
 * context is borrowed from the factory's pool for each message and given back after its last frame,
 * so that between messages there is none. A kept context has the window agreed for the peer: below
 * 15 bits it is native zlib's, smaller, and data that refers back further fails as bad data (1007).
 */
final class MessageInflater implements ExtensionDecoder {

    private final boolean resetAfterMessage;
    private final int windowBits;
    private final int maxMessageSize;
    private final SlicedInflater inflater;
    /** Whether the data message in progress is compressed; set by its first frame. */
    private boolean inflating;
    /** Bytes inflated so far for the message in progress, before the current frame. */
    private long messageSize;
    /** The compressed frame whose output is being handed back, until its last slice; else null. */
    private Frame frame;

    /**
     * @param resetAfterMessage whether the peer uses no context takeover, so each message starts a
     *     fresh DEFLATE stream
     * @param windowBits the LZ77 window the peer agreed to compress within, one
     *     {@link Zlib#decompressesWith}; without context takeover the pool's 15-bit contexts read any
     * @param maxMessageSize the largest inflated message accepted, in bytes
     * @param pool where, without context takeover, each message borrows its context
     */
    MessageInflater(boolean resetAfterMessage, int windowBits, int maxMessageSize, ZlibPool pool) {
        this.resetAfterMessage = resetAfterMessage;
        this.windowBits = resetAfterMessage ? Zlib.MAX_WINDOW_BITS : windowBits;
        this.maxMessageSize = maxMessageSize;
        this.inflater = resetAfterMessage ? new SlicedInflater(pool) : new SlicedInflater(windowBits);
    }

    /** Which zlib decompresses this direction's messages. */
    Compressor.Path path() {
        return Zlib.pathFor(windowBits);
    }

    /**
     * The frame as the application should see it: inflated, RSV1 clear; for a compressed frame,
     * the first slice of its output.
     *
     * @throws WebSocketException 1002 for RSV1 where it must not be, 1007 for data that is not
     *     DEFLATE, 1009 for a message that inflates past the maximum message size
     */
    @Override
    public Frame decode(Frame frame) {
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
        this.frame = frame;
        // "Append 4 octets of 0x00 0x00 0xff 0xff to the tail end of the payload of the message."
        // (RFC 7692 §7.2.2)
        inflater.start(frame.payload(), frame.fin(), maxMessageSize - messageSize);
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

    /** How many bytes the message in progress has inflated to so far. */
    long messageSize() {
        return frame == null ? messageSize : messageSize + inflater.produced();
    }

    private Frame nextSlice(Opcode opcode) {
        ByteBuffer output;
        try {
            output = inflater.nextSlice();
        } catch (DataFormatException e) {
            // RFC 7692 §7.2.2 gives no code for data that does not inflate. 1007 is the one for
            // "data within a message that was not consistent with the type of the message" (RFC 6455
            // §7.4.1): the compressed payload of a message is not DEFLATE data.
            throw new WebSocketException(CloseCodes.INVALID_PAYLOAD, "a compressed message does not inflate: "
                    + e.getMessage(), e);
        }
        if (inflater.overLimit()) {
            throw new WebSocketException(CloseCodes.MESSAGE_TOO_BIG, "a compressed message inflates to more"
                    + " than " + maxMessageSize + " bytes");
        }
        boolean last = !inflater.pending();
        Frame slice = new Frame(last && frame.fin(), frame.rsv() & ~Frame.RSV1, opcode, output);
        if (last) {
            if (frame.fin() && resetAfterMessage) {
                inflater.resetStream();
            }
            messageSize += inflater.produced();
            frame = null;
        }
        return slice;
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
