package dev.weft.api;

/**
 * The frame opcodes defined by RFC 6455 §5.2. The other values (3–7 and 11–15) are reserved; a
 * frame that carries one is a protocol error, so they have no constant here.
 */
public enum Opcode {
    /** A continuation of a fragmented data message. */
    CONTINUATION(0x0),
    /** The first frame of a text message (UTF-8). */
    TEXT(0x1),
    /** The first frame of a binary message. */
    BINARY(0x2),
    /** A close frame: optional two-byte status code, then an optional UTF-8 reason. */
    CLOSE(0x8),
    /** A ping: the peer answers with a pong carrying the same payload. */
    PING(0x9),
    /** A pong: the answer to a ping, or an unsolicited heartbeat. */
    PONG(0xA);

    private static final Opcode[] BY_CODE = new Opcode[16];

    static {
        for (Opcode op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    /** The 4-bit value of this opcode on the wire. */
    public int code() {
        return code;
    }

    /** Whether this is a control opcode (close, ping, pong): at most 125 bytes, never fragmented. */
    public boolean isControl() {
        return code >= 0x8;
    }

    /**
     * The opcode for a 4-bit wire value.
     *
     * @param code the low four bits of the first header byte
     * @return the opcode, or {@code null} if {@code code} is reserved or out of range
     */
    public static Opcode fromCode(int code) {
        return code >= 0 && code < 16 ? BY_CODE[code] : null;
    }
}
