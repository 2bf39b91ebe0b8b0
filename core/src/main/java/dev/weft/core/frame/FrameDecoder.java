package dev.weft.core.frame;

import dev.weft.api.Opcode;
import dev.weft.api.Role;

import java.nio.ByteBuffer;

import static dev.weft.core.frame.FrameHeader.B0_FLAG_FIN;
import static dev.weft.core.frame.FrameHeader.B0_MASK_OPCODE;
import static dev.weft.core.frame.FrameHeader.B0_MASK_RSV;
import static dev.weft.core.frame.FrameHeader.B1_FLAG_MASK;
import static dev.weft.core.frame.FrameHeader.B1_MASK_LENGTH;
import static dev.weft.core.frame.FrameHeader.PAYLOAD_16;
import static dev.weft.core.frame.FrameHeader.PAYLOAD_16_MAX;
import static dev.weft.core.frame.FrameHeader.PAYLOAD_64;
import static dev.weft.core.frame.FrameHeader.PAYLOAD_SHORT_MAX;

/**
 * An RFC 6455 frame reader that can be fed input split at any byte. Not thread safe.
 *
 * <p>It enforces the rules that concern one frame in isolation (RFC 6455 §5.1–§5.5): masking by
 * role, reserved bits only when negotiated, known opcodes, short and unfragmented control frames,
 * lengths in their shortest form, and the maximum frame size. Rules that span frames (message
 * fragmentation, UTF-8, close codes) are the next layer's.
 *
 * <p>Payloads are not collected: each arrives as one or more unmasked chunks, sliced from the input
 * without copying, so a large frame can be processed as it arrives. Only a header split across
 * inputs is copied (at most 14 bytes). Masked payloads are unmasked in place, so the input must be
 * writable.
 */
public final class FrameDecoder {

    /**
     * Receives the parts of each frame in order: one {@link #onFrameHeader}, zero or more
     * {@link #onFramePayload}, one {@link #onFrameEnd}.
     */
    public interface Listener {

        /** A frame header that passed every frame-level check. */
        void onFrameHeader(boolean fin, int rsv, Opcode opcode, long payloadLength);

        /**
         * The next chunk of the current payload, unmasked: the bytes from the buffer's position to
         * its limit. The buffer is the decoder's input, valid only during the call: copy what you
         * keep, and leave its position and limit alone.
         */
        void onFramePayload(ByteBuffer chunk);

        /**
         * The current frame is complete.
         *
         * @return whether to go on decoding; {@code false} leaves the rest of the input unread
         */
        boolean onFrameEnd();
    }

    private final boolean expectMasked;
    private final int maxFrameSize;
    private int allowedRsv;

    // A header split across inputs is gathered here; headerFilled counts its bytes.
    private final byte[] header = new byte[FrameHeader.MAX_HEADER_LENGTH];
    private int headerFilled;

    // The frame being decoded.
    private boolean inPayload;
    private boolean fin;
    private int rsv;
    private Opcode opcode;
    private boolean masked;
    private int maskKey;
    private int maskOffset;
    private long remaining;

    /**
     * @param localRole the role of the endpoint that reads: a server expects masked frames, a
     *     client unmasked ones
     * @param maxFrameSize the largest payload accepted
     */
    public FrameDecoder(Role localRole, int maxFrameSize) {
        this.expectMasked = localRole == Role.SERVER;
        this.maxFrameSize = maxFrameSize;
    }

    /** Allows the reserved bits that negotiated extensions claim; 0 (the default) allows none. */
    public void allowRsv(int rsvBits) {
        this.allowedRsv = rsvBits;
    }

    /** Whether the decoder is between frames (no partial header or payload pending). */
    public boolean isAtFrameBoundary() {
        return !inPayload && headerFilled == 0;
    }

    /**
     * Decodes as much of {@code in} as it can, calling {@code listener} for each part of each
     * frame. On return, every byte of {@code in} has been consumed, unless the listener asked to
     * stop.
     *
     * @throws ProtocolViolationException when a header breaks a rule; the input is then unusable
     */
    public void decode(ByteBuffer in, Listener listener) {
        while (true) {
            if (!inPayload) {
                if (!readHeader(in)) {
                    return;
                }
                listener.onFrameHeader(fin, rsv, opcode, remaining);
                inPayload = true;
            }
            if (remaining > 0) {
                int n = (int) Math.min(remaining, in.remaining());
                if (n == 0) {
                    return;
                }
                int start = in.position();
                if (masked) {
                    maskOffset = Masking.mask(in, start, in, start, n, maskKey, maskOffset);
                }
                int limit = in.limit();
                in.limit(start + n);
                listener.onFramePayload(in);
                in.limit(limit).position(start + n);
                remaining -= n;
                if (remaining > 0) {
                    return;
                }
            }
            inPayload = false;
            if (!listener.onFrameEnd()) {
                return;
            }
        }
    }

    /** Gathers and checks the next header; false if the input ran out first. */
    private boolean readHeader(ByteBuffer in) {
        if (!gather(in, 2)) {
            return false;
        }
        int b0 = header[0] & 0xFF;
        int b1 = header[1] & 0xFF;
        // Everything the first two bytes can tell is checked before waiting for the rest.
        checkFirstBytes(b0, b1);
        int len7 = b1 & B1_MASK_LENGTH;
        int lengthBytes = len7 == PAYLOAD_16 ? 2 : len7 == PAYLOAD_64 ? 8 : 0;
        int headerLength = 2 + lengthBytes + (masked ? 4 : 0);
        if (!gather(in, headerLength)) {
            return false;
        }
        long length = switch (lengthBytes) {
            case 0 -> len7;
            case 2 -> ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            default -> readLong(2);
        };
        checkLength(lengthBytes, length);
        if (masked) {
            int k = 2 + lengthBytes;
            maskKey = (header[k] & 0xFF) << 24 | (header[k + 1] & 0xFF) << 16
                    | (header[k + 2] & 0xFF) << 8 | (header[k + 3] & 0xFF);
            maskOffset = 0;
        }
        remaining = length;
        headerFilled = 0;
        return true;
    }

    /** Copies input into the header array until it holds at least {@code target} bytes. */
    private boolean gather(ByteBuffer in, int target) {
        int n = Math.min(target - headerFilled, in.remaining());
        if (n > 0) {
            in.get(header, headerFilled, n);
            headerFilled += n;
        }
        return headerFilled >= target;
    }

    private void checkFirstBytes(int b0, int b1) {
        fin = (b0 & B0_FLAG_FIN) != 0;
        rsv = b0 & B0_MASK_RSV;
        masked = (b1 & B1_FLAG_MASK) != 0;
        // "MUST be 0 unless an extension is negotiated that defines meanings for non-zero
        // values" (RFC 6455 §5.2)
        if ((rsv & ~allowedRsv) != 0) {
            throw ProtocolViolation.RESERVED_BITS_NOT_NEGOTIATED.exception("0x" + Integer.toHexString(rsv));
        }
        opcode = Opcode.fromCode(b0 & B0_MASK_OPCODE);
        // "If an unknown opcode is received, the receiving endpoint MUST _Fail the WebSocket
        // Connection_." (RFC 6455 §5.2)
        if (opcode == null) {
            throw ProtocolViolation.RESERVED_OPCODE.exception(Integer.toString(b0 & B0_MASK_OPCODE));
        }
        if (opcode.isControl()) {
            // "Control frames themselves MUST NOT be fragmented." (RFC 6455 §5.5)
            if (!fin) {
                throw ProtocolViolation.FRAGMENTED_CONTROL_FRAME.exception(opcode.name());
            }
            // "All control frames MUST have a payload length of 125 bytes or less" (RFC 6455 §5.5)
            if ((b1 & B1_MASK_LENGTH) > PAYLOAD_SHORT_MAX) {
                throw ProtocolViolation.CONTROL_FRAME_TOO_LONG.exception(opcode.name());
            }
        }
        if (masked != expectMasked) {
            // "The server MUST close the connection upon receiving a frame that is not masked."
            // "A client MUST close a connection if it detects a masked frame." (RFC 6455 §5.1)
            throw (expectMasked ? ProtocolViolation.UNMASKED_CLIENT_FRAME : ProtocolViolation.MASKED_SERVER_FRAME)
                    .exception();
        }
    }

    private void checkLength(int lengthBytes, long length) {
        // "the most significant bit MUST be 0" (RFC 6455 §5.2)
        if (length < 0) {
            throw ProtocolViolation.LENGTH_TOP_BIT_SET.exception();
        }
        // "the minimal number of bytes MUST be used to encode the length" (RFC 6455 §5.2)
        if ((lengthBytes == 2 && length <= PAYLOAD_SHORT_MAX) || (lengthBytes == 8 && length <= PAYLOAD_16_MAX)) {
            throw ProtocolViolation.NON_MINIMAL_LENGTH.exception(length + " in " + lengthBytes + " bytes");
        }
        if (length > maxFrameSize) {
            throw ProtocolViolation.FRAME_TOO_BIG.exception(length + " > " + maxFrameSize);
        }
    }

    private long readLong(int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = (v << 8) | (header[i] & 0xFF);
        }
        return v;
    }
}
