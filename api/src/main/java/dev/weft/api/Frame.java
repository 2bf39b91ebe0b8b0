package dev.weft.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One WebSocket frame (RFC 6455 §5.2): the FIN bit, the three reserved bits, an opcode and an
 * application payload. Masking is not part of a frame: it is applied by the encoder when the
 * local endpoint is a client.
 *
 * <p>This is the lowest level of the API. Any combination of bits can be built, including reserved
 * bits no extension claims, so tests and custom extensions can send exactly the frame they mean; a
 * {@link Connection} checks only what would make its own encoder misbehave.
 *
 * <p>Instances are immutable, but the payload buffer is shared, not copied: do not change it after
 * building the frame. {@link #payload()} returns a read-only view positioned at zero.
 */
public final class Frame {

    /** The RSV1 bit, in its position in the first header byte. */
    public static final int RSV1 = 0x40;
    /** The RSV2 bit, in its position in the first header byte. */
    public static final int RSV2 = 0x20;
    /** The RSV3 bit, in its position in the first header byte. */
    public static final int RSV3 = 0x10;
    /** All three reserved bits. */
    public static final int RSV_MASK = RSV1 | RSV2 | RSV3;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final boolean fin;
    private final int rsv;
    private final Opcode opcode;
    private final ByteBuffer payload;

    /**
     * Builds a frame.
     *
     * @param fin whether this is the final fragment of its message
     * @param rsv any combination of {@link #RSV1}, {@link #RSV2} and {@link #RSV3}
     * @param opcode the opcode
     * @param payload the payload from its position to its limit; not copied
     * @throws IllegalArgumentException if {@code rsv} has bits outside {@link #RSV_MASK}
     */
    public Frame(boolean fin, int rsv, Opcode opcode, ByteBuffer payload) {
        if ((rsv & ~RSV_MASK) != 0) {
            throw new IllegalArgumentException("rsv must be a combination of RSV1, RSV2 and RSV3: 0x"
                    + Integer.toHexString(rsv));
        }
        this.fin = fin;
        this.rsv = rsv;
        this.opcode = Objects.requireNonNull(opcode, "opcode");
        this.payload = payload == null || !payload.hasRemaining() ? EMPTY : payload.slice().asReadOnlyBuffer();
    }

    /** A final text frame holding {@code text} encoded as UTF-8. */
    public static Frame text(String text) {
        return new Frame(true, 0, Opcode.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A final binary frame holding {@code data}. */
    public static Frame binary(ByteBuffer data) {
        return new Frame(true, 0, Opcode.BINARY, data);
    }

    /** A ping frame with the given payload (at most 125 bytes on the wire). */
    public static Frame ping(ByteBuffer data) {
        return new Frame(true, 0, Opcode.PING, data);
    }

    /** A pong frame with the given payload (at most 125 bytes on the wire). */
    public static Frame pong(ByteBuffer data) {
        return new Frame(true, 0, Opcode.PONG, data);
    }

    /** Whether this is the final fragment of its message (always true for a valid control frame). */
    public boolean fin() {
        return fin;
    }

    /** The reserved bits, as a combination of {@link #RSV1}, {@link #RSV2} and {@link #RSV3}. */
    public int rsv() {
        return rsv;
    }

    /** Whether RSV1 is set (permessage-deflate marks compressed messages with it). */
    public boolean rsv1() {
        return (rsv & RSV1) != 0;
    }

    /** Whether RSV2 is set. */
    public boolean rsv2() {
        return (rsv & RSV2) != 0;
    }

    /** Whether RSV3 is set. */
    public boolean rsv3() {
        return (rsv & RSV3) != 0;
    }

    /** The opcode. */
    public Opcode opcode() {
        return opcode;
    }

    /** A read-only view of the payload, positioned at zero; each call returns a new view. */
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    /** The payload length in bytes. */
    public int payloadLength() {
        return payload.remaining();
    }

    /** This frame with another FIN bit. */
    public Frame withFin(boolean fin) {
        return new Frame(fin, rsv, opcode, payload);
    }

    /** This frame with other reserved bits. */
    public Frame withRsv(int rsv) {
        return new Frame(fin, rsv, opcode, payload);
    }

    /** This frame with another opcode. */
    public Frame withOpcode(Opcode opcode) {
        return new Frame(fin, rsv, opcode, payload);
    }

    /** This frame with another payload (not copied). */
    public Frame withPayload(ByteBuffer payload) {
        return new Frame(fin, rsv, opcode, payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.fin == fin && f.rsv == rsv && f.opcode == opcode && f.payload.equals(payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fin, rsv, opcode, payload);
    }

    @Override
    public String toString() {
        return "Frame[" + opcode + (fin ? " fin" : "") + (rsv1() ? " rsv1" : "") + (rsv2() ? " rsv2" : "")
                + (rsv3() ? " rsv3" : "") + ", " + payload.remaining() + " bytes]";
    }
}
