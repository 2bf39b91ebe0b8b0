package dev.weft.core.session;

import dev.weft.api.CloseCodes;
import dev.weft.core.frame.ProtocolViolation;
import dev.weft.core.frame.ProtocolViolationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Close frame bodies (RFC 6455 §5.5.1) and the codes allowed in them (§7.4). */
class CloseFrameTest {

    private static ByteBuffer body(int code, byte... reason) {
        return ByteBuffer.allocate(2 + reason.length).putShort((short) code).put(reason).flip();
    }

    private static ProtocolViolation violationOf(ByteBuffer body) {
        return assertThrows(ProtocolViolationException.class, () -> CloseFrame.parse(body)).violation();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anEmptyBodyMeansNoStatusReceived() {
        assertEquals(new CloseFrame(CloseCodes.NO_STATUS_RECEIVED, ""), CloseFrame.parse(ByteBuffer.allocate(0)));
    }

    @Test
    void aOneByteBodyIsAProtocolError() {
        // "If there is a body, the first two bytes of the body MUST be a 2-byte unsigned integer"
        assertEquals(ProtocolViolation.ONE_BYTE_CLOSE_PAYLOAD, violationOf(ByteBuffer.wrap(new byte[] {0x03})));
    }

    @Test
    void readsTheCodeBigEndianAndTheReason() {
        assertEquals(new CloseFrame(1000, ""), CloseFrame.parse(ByteBuffer.wrap(new byte[] {0x03, (byte) 0xE8})));
        assertEquals(new CloseFrame(4999, "bye"), CloseFrame.parse(body(4999, utf8("bye"))));
    }

    @Test
    void readsFromTheBuffersPositionNotItsStart() {
        ByteBuffer framed = ByteBuffer.allocate(7).put(new byte[] {9, 9}).putShort((short) 1001).put(utf8("ok")).flip();
        framed.position(2);

        assertEquals(new CloseFrame(1001, "ok"), CloseFrame.parse(framed));
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4000, 4999})
    void acceptsTheCodesAnEndpointMaySend(int code) {
        assertEquals(code, CloseFrame.parse(body(code)).code());
    }

    // 1004 is reserved, 1005 and 1006 "MUST NOT be set as a status code in a Close control frame",
    // 1015 likewise, and 0-999 and 5000+ are not used (RFC 6455 §7.4.1, §7.4.2).
    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535})
    void refusesTheCodesNoEndpointMaySend(int code) {
        assertEquals(ProtocolViolation.INVALID_CLOSE_CODE, violationOf(body(code)));
    }

    @Test
    void decodesAUtf8Reason() {
        assertEquals("Grüße €𝄞", CloseFrame.parse(body(1000, utf8("Grüße €𝄞"))).reason());
    }

    @Test
    void refusesAReasonThatIsNotUtf8() {
        assertEquals(ProtocolViolation.INVALID_CLOSE_REASON, violationOf(body(1000, (byte) 0xC0, (byte) 0x80)));
        assertEquals(ProtocolViolation.INVALID_CLOSE_REASON, violationOf(body(1000, (byte) 0xFF)));
    }

    @Test
    void refusesAReasonThatEndsInsideACodePoint() {
        assertEquals(ProtocolViolation.INVALID_CLOSE_REASON, violationOf(body(1000, (byte) 'a', (byte) 0xE2, (byte) 0x82)));
    }

    @Test
    void writesTheCodeBigEndianThenTheReason() {
        ByteBuffer written = CloseFrame.body(1000, utf8("bye"));
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);

        assertArrayEquals(new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'}, bytes);
    }

    @Test
    void whatItWritesItReads() {
        assertEquals(new CloseFrame(3001, "é"), CloseFrame.parse(CloseFrame.body(3001, utf8("é"))));
    }

    @Test
    void anApplicationsReasonTakesAtMost123BytesOfUtf8() {
        assertArrayEquals(new byte[0], CloseFrame.encodeReason(null));
        assertEquals(123, CloseFrame.encodeReason("a".repeat(123)).length);
        assertThrows(IllegalArgumentException.class, () -> CloseFrame.encodeReason("a".repeat(124)));
        // Bytes count, not characters: 62 two-byte characters are 124 bytes.
        assertEquals(123, CloseFrame.encodeReason("a" + "é".repeat(61)).length);
        assertThrows(IllegalArgumentException.class, () -> CloseFrame.encodeReason("é".repeat(62)));
    }

    @Test
    void fitReasonKeepsAReasonThatFits() {
        String fits = "a" + "é".repeat(61);

        assertArrayEquals(utf8(fits), CloseFrame.fitReason(fits));
    }

    @Test
    void fitReasonCutsALongReasonTo123Bytes() {
        assertArrayEquals(utf8("a".repeat(123)), CloseFrame.fitReason("a".repeat(500)));
    }

    @Test
    void fitReasonCutsAtACodePointBoundary() {
        // Byte 123 is the second byte of an "é": the cut goes back to before that "é".
        assertArrayEquals(utf8("aa" + "é".repeat(60)), CloseFrame.fitReason("aa" + "é".repeat(61)));
        // A four-byte code point across the limit goes whole.
        assertArrayEquals(utf8("a".repeat(121)), CloseFrame.fitReason("a".repeat(121) + "𝄞"));
    }

    @Test
    void aFittedReasonParsesBack() {
        String reason = "ü".repeat(100);
        byte[] fitted = CloseFrame.fitReason(reason);

        assertEquals("ü".repeat(61), CloseFrame.parse(CloseFrame.body(1011, fitted)).reason());
    }
}
