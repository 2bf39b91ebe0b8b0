package dev.weft.core.frame;

/**
 * The layout of a frame header (RFC 6455 §5.2), drawn once here and named by the byte each
 * constant lives in:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *  | |1|2|3|       |K|             |                               |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  |     Extended payload length continued, if payload len == 127  |
 *  + - - - - - - - - - - - - - - - +-------------------------------+
 *  |                               |Masking-key, if MASK set to 1  |
 *  +-------------------------------+-------------------------------+
 *  | Masking-key (continued)       |          Payload Data         |
 *  +-------------------------------- - - - - - - - - - - - - - - - +
 * </pre>
 */
final class FrameHeader {

    /** Byte 0: the final-fragment flag. */
    static final int B0_FLAG_FIN = 0x80;
    /** Byte 0: the three reserved bits (RSV1, RSV2, RSV3). */
    static final int B0_MASK_RSV = 0x70;
    /** Byte 0: the opcode. */
    static final int B0_MASK_OPCODE = 0x0F;
    /** Byte 1: the mask flag. */
    static final int B1_FLAG_MASK = 0x80;
    /** Byte 1: the 7-bit payload length or its marker. */
    static final int B1_MASK_LENGTH = 0x7F;

    /** The largest length that fits the 7-bit field itself. */
    static final int PAYLOAD_SHORT_MAX = 125;
    /** 7-bit marker: a 16-bit length follows. */
    static final int PAYLOAD_16 = 126;
    /** 7-bit marker: a 64-bit length follows. */
    static final int PAYLOAD_64 = 127;
    /** The largest length that fits the 16-bit field. */
    static final int PAYLOAD_16_MAX = 0xFFFF;

    /** The longest header: 2 fixed bytes, an 8-byte length, a 4-byte key. */
    static final int MAX_HEADER_LENGTH = 14;

    private FrameHeader() {
    }

    /** The header length for a payload of {@code length} bytes, with or without a masking key. */
    static int length(long payloadLength, boolean masked) {
        int n = payloadLength <= PAYLOAD_SHORT_MAX ? 2 : payloadLength <= PAYLOAD_16_MAX ? 4 : 10;
        return masked ? n + 4 : n;
    }
}
