package dev.weft.core.frame;

import dev.weft.api.CloseCodes;

/**
 * Every way a peer can break RFC 6455 that the engine detects, each with the close code it leads
 * to. Tests assert on these rather than on message text.
 */
public enum ProtocolViolation {
    /** "MUST be 0 unless an extension is negotiated that defines meanings for non-zero values" (RFC 6455 §5.2). */
    RESERVED_BITS_NOT_NEGOTIATED(CloseCodes.PROTOCOL_ERROR, "reserved bits set that no extension negotiated"),
    /** "If an unknown opcode is received, the receiving endpoint MUST _Fail the WebSocket Connection_" (RFC 6455 §5.2). */
    RESERVED_OPCODE(CloseCodes.PROTOCOL_ERROR, "reserved opcode"),
    /** "Control frames themselves MUST NOT be fragmented" (RFC 6455 §5.5). */
    FRAGMENTED_CONTROL_FRAME(CloseCodes.PROTOCOL_ERROR, "fragmented control frame"),
    /** "All control frames MUST have a payload length of 125 bytes or less" (RFC 6455 §5.5). */
    CONTROL_FRAME_TOO_LONG(CloseCodes.PROTOCOL_ERROR, "control frame longer than 125 bytes"),
    /** "The server MUST close the connection upon receiving a frame that is not masked" (RFC 6455 §5.1). */
    UNMASKED_CLIENT_FRAME(CloseCodes.PROTOCOL_ERROR, "unmasked frame from a client"),
    /** "A client MUST close a connection if it detects a masked frame" (RFC 6455 §5.1). */
    MASKED_SERVER_FRAME(CloseCodes.PROTOCOL_ERROR, "masked frame from a server"),
    /** "the minimal number of bytes MUST be used to encode the length" (RFC 6455 §5.2). */
    NON_MINIMAL_LENGTH(CloseCodes.PROTOCOL_ERROR, "payload length not in its shortest form"),
    /** "the most significant bit MUST be 0" of a 64-bit length (RFC 6455 §5.2). */
    LENGTH_TOP_BIT_SET(CloseCodes.PROTOCOL_ERROR, "64-bit payload length with its top bit set"),
    /** A continuation frame with no message to continue (RFC 6455 §5.4). */
    CONTINUATION_WITHOUT_START(CloseCodes.PROTOCOL_ERROR, "continuation frame without a message to continue"),
    /** A new data message started before the fragmented one ended (RFC 6455 §5.4). */
    DATA_FRAME_INSIDE_FRAGMENTED_MESSAGE(CloseCodes.PROTOCOL_ERROR, "new data frame inside a fragmented message"),
    /** A close frame whose payload is one byte: a status code takes two (RFC 6455 §5.5.1). */
    ONE_BYTE_CLOSE_PAYLOAD(CloseCodes.PROTOCOL_ERROR, "close frame with a one-byte payload"),
    /** A close code that may not appear on the wire (RFC 6455 §7.4). */
    INVALID_CLOSE_CODE(CloseCodes.PROTOCOL_ERROR, "invalid close code"),
    /** "the endpoint MUST _Fail the WebSocket Connection_" on invalid UTF-8 in text (RFC 6455 §8.1). */
    INVALID_UTF8(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8 in a text message"),
    /** A close reason that is not valid UTF-8 (RFC 6455 §5.5.1). */
    INVALID_CLOSE_REASON(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8 in a close reason"),
    /** A frame payload over the configured maximum frame size. */
    FRAME_TOO_BIG(CloseCodes.MESSAGE_TOO_BIG, "frame larger than the maximum frame size"),
    /** A message over the configured maximum message size. */
    MESSAGE_TOO_BIG(CloseCodes.MESSAGE_TOO_BIG, "message larger than the maximum message size"),
    /** A message in more fragments than the configured cap. */
    TOO_MANY_FRAGMENTS(CloseCodes.MESSAGE_TOO_BIG, "message split into more fragments than allowed");

    private final int closeCode;
    private final String description;

    ProtocolViolation(int closeCode, String description) {
        this.closeCode = closeCode;
        this.description = description;
    }

    /** The close code a connection is failed with for this violation. */
    public int closeCode() {
        return closeCode;
    }

    /** A short description, used as the close reason. */
    public String description() {
        return description;
    }

    /** An exception for this violation. */
    public ProtocolViolationException exception() {
        return new ProtocolViolationException(this, description);
    }

    /** An exception for this violation, with detail appended to the description. */
    public ProtocolViolationException exception(String detail) {
        return new ProtocolViolationException(this, description + ": " + detail);
    }
}
