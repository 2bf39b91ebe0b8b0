package dev.weft.core.frame;

import dev.weft.api.Role;

import java.nio.ByteBuffer;

import static dev.weft.core.frame.FrameHeader.B0_FLAG_FIN;
import static dev.weft.core.frame.FrameHeader.B1_FLAG_MASK;
import static dev.weft.core.frame.FrameHeader.PAYLOAD_16;
import static dev.weft.core.frame.FrameHeader.PAYLOAD_16_MAX;
import static dev.weft.core.frame.FrameHeader.PAYLOAD_64;
import static dev.weft.core.frame.FrameHeader.PAYLOAD_SHORT_MAX;

/**
 * An RFC 6455 frame writer. A client's is not thread safe (its masking keys come from one
 * source); a server's keeps no state.
 *
 * <p>A server's frame goes out as two buffers, the header and the caller's payload untouched, for
 * one gathering write: the payload is never copied to prepend a header. A client must mask, which
 * means writing a transformed copy anyway, so its header and masked payload share one buffer.
 * Lengths always take their shortest form (RFC 6455 §5.2).
 */
public final class FrameEncoder {

    /** A server's encoder: it masks nothing and so keeps no state, and every server session shares it. */
    public static final FrameEncoder SERVER = new FrameEncoder(Role.SERVER, null);

    private final boolean mask;
    private final MaskKeySource keys;

    /**
     * @param localRole the role of the endpoint that writes; a client masks every frame
     * @param keys the source of masking keys (used by clients only)
     */
    public FrameEncoder(Role localRole, MaskKeySource keys) {
        this.mask = localRole == Role.CLIENT;
        this.keys = keys;
    }

    /** Whether this encoder masks, so that {@link #encode} returns the whole frame in one buffer. */
    public boolean masks() {
        return mask;
    }

    /**
     * Encodes one frame.
     *
     * @param b0 the first header byte: FIN, reserved bits and opcode
     * @param payload the payload from its position to its limit; neither it nor its position is
     *     changed
     * @return for a server, the header alone, to be written before {@code payload}; for a client,
     *     the header and the masked payload, the whole frame. Positioned at zero.
     */
    public ByteBuffer encode(int b0, ByteBuffer payload) {
        int length = payload.remaining();
        int headerLength = FrameHeader.length(length, mask);
        ByteBuffer out = ByteBuffer.allocate(mask ? headerLength + length : headerLength);
        putHeader(out, 0, b0, length, mask);
        if (mask) {
            int key = keys.nextKey();
            out.putInt(headerLength - Integer.BYTES, key);
            Masking.mask(payload, payload.position(), out, headerLength, length, key, 0);
        }
        return out;
    }

    /** The length of an unmasked header, a server's, for a payload of {@code length} bytes. */
    public static int headerLength(int length) {
        return FrameHeader.length(length, false);
    }

    /**
     * Writes an unmasked header, a server's, at {@code index} of {@code dst} without moving its
     * position: where a transport wants it, with no buffer of its own.
     *
     * @return the header's length
     */
    public static int putHeader(ByteBuffer dst, int index, int b0, int length) {
        return putHeader(dst, index, b0, length, false);
    }

    /** Writes a header, leaving room for a masking key if {@code masked}; returns its length. */
    private static int putHeader(ByteBuffer dst, int index, int b0, int length, boolean masked) {
        dst.put(index, (byte) b0);
        int maskBit = masked ? B1_FLAG_MASK : 0;
        if (length <= PAYLOAD_SHORT_MAX) {
            dst.put(index + 1, (byte) (maskBit | length));
        } else if (length <= PAYLOAD_16_MAX) {
            dst.put(index + 1, (byte) (maskBit | PAYLOAD_16)).putShort(index + 2, (short) length);
        } else {
            dst.put(index + 1, (byte) (maskBit | PAYLOAD_64)).putLong(index + 2, length);
        }
        return FrameHeader.length(length, masked);
    }

    /** The first header byte for a frame: FIN, reserved bits (in their header positions) and opcode. */
    public static int firstByte(boolean fin, int rsv, int opcode) {
        return (fin ? B0_FLAG_FIN : 0) | rsv | opcode;
    }
}
