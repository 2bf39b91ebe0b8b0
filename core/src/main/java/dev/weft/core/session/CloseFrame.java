package dev.weft.core.session;

import dev.weft.api.CloseCodes;
import dev.weft.core.frame.ProtocolViolation;
import dev.weft.core.message.Utf8Encoder;
import dev.weft.core.message.Utf8Validator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The body of a close frame (RFC 6455 §5.5.1): an optional two-byte status code, then an optional
 * UTF-8 reason, 125 bytes at most in all.
 *
 * @param code the status code, or {@link CloseCodes#NO_STATUS_RECEIVED} if the body was empty
 * @param reason the reason, or empty
 */
record CloseFrame(int code, String reason) {

    /** The most bytes a reason can take: a control payload holds 125, the code takes 2. */
    static final int MAX_REASON_BYTES = 123;

    /**
     * Reads and checks a received close body.
     *
     * @throws dev.weft.core.frame.ProtocolViolationException for a 1-byte body, a code not allowed on
     *     the wire, or a reason that is not UTF-8
     */
    static CloseFrame parse(ByteBuffer body) {
        int n = body.remaining();
        if (n == 0) {
            return new CloseFrame(CloseCodes.NO_STATUS_RECEIVED, "");
        }
        // "If there is a body, the first two bytes of the body MUST be a 2-byte unsigned integer"
        // (RFC 6455 §5.5.1)
        if (n == 1) {
            throw ProtocolViolation.ONE_BYTE_CLOSE_PAYLOAD.exception();
        }
        int p = body.position();
        int code = body.getShort(p) & 0xFFFF;
        if (!CloseCodes.isValidOnWire(code)) {
            throw ProtocolViolation.INVALID_CLOSE_CODE.exception(Integer.toString(code));
        }
        // "the data MAY contain UTF-8-encoded data" and a text that is not UTF-8 fails (RFC 6455 §5.5.1, §8.1)
        if (!Utf8Validator.isValid(body, p + 2, p + n)) {
            throw ProtocolViolation.INVALID_CLOSE_REASON.exception();
        }
        byte[] reason = new byte[n - 2];
        body.get(p + 2, reason);
        return new CloseFrame(code, new String(reason, StandardCharsets.UTF_8));
    }

    /** The body for a close frame with this code and reason; the reason must fit. */
    static ByteBuffer body(int code, byte[] reason) {
        return ByteBuffer.allocate(2 + reason.length).putShort((short) code).put(reason).flip();
    }

    /**
     * The UTF-8 form of a reason an application passes to {@code close}.
     *
     * @throws IllegalArgumentException if it does not fit in {@link #MAX_REASON_BYTES}
     */
    static byte[] encodeReason(String reason) {
        byte[] bytes = Utf8Encoder.encode(reason == null ? "" : reason);
        if (bytes.length > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("a close reason takes at most " + MAX_REASON_BYTES
                    + " bytes of UTF-8: " + bytes.length);
        }
        return bytes;
    }

    /** The UTF-8 form of a reason the engine writes, cut to fit at a code point boundary. */
    static byte[] fitReason(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return bytes;
        }
        int end = MAX_REASON_BYTES;
        while ((bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return java.util.Arrays.copyOf(bytes, end);
    }
}
