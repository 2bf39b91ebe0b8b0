package dev.weft.cli.bench;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check {@code weft bench} makes of every echo: right sequence, right length, right bytes. */
class EchoPayloadTest {

    @Test
    void textCarriesItsSequenceAndAnyChangeIsCaught() {
        EchoPayload payload = new EchoPayload(100, false);
        StringBuilder buffer = payload.newTextBuffer();
        String seven = payload.text(buffer, 7).toString();
        assertEquals(100, seven.length());
        assertEquals("0000000000000007" + EchoPayload.jsonLike(100).substring(16), seven);
        assertTrue(payload.matches(seven, 7));
        assertFalse(payload.matches(seven, 8), "another sequence number");
        assertFalse(payload.matches(seven.substring(0, 99), 7), "truncated");
        assertFalse(payload.matches(seven.substring(0, 99) + "?", 7), "last character altered");
        assertFalse(payload.matches("zz" + seven.substring(2), 7), "sequence not hex");
        String big = payload.text(buffer, 0xfedcba9876543210L).toString();
        assertTrue(big.startsWith("fedcba9876543210"), big);
        assertTrue(payload.matches(big, 0xfedcba9876543210L));
    }

    @Test
    void binaryCarriesItsSequenceAndAnyChangeIsCaught() {
        EchoPayload payload = new EchoPayload(300, true);
        ByteBuffer three = payload.binary(3);
        assertEquals(3, three.getLong(0));
        assertTrue(payload.matches(three, 3));
        assertEquals(0, three.position(), "matching does not move the buffer");
        assertFalse(payload.matches(three, 4));
        ByteBuffer altered = payload.binary(3);
        altered.put(299, (byte) (altered.get(299) + 1));
        assertFalse(payload.matches(altered, 3));
        assertFalse(payload.matches(payload.binary(3).limit(299), 3), "truncated");
        assertFalse(payload.matches("text", 3), "text where binary was sent");
    }

    @Test
    void messagesTooSmallForASequenceAreComparedWhole() {
        EchoPayload text = new EchoPayload(5, false);
        String five = text.text(text.newTextBuffer(), 9).toString();
        assertTrue(text.matches(five, 123), "no sequence to compare");
        assertFalse(text.matches(five.substring(0, 4) + "#", 0));
        EchoPayload empty = new EchoPayload(0, true);
        assertTrue(empty.matches(ByteBuffer.allocate(0), 0));
        assertFalse(empty.matches(ByteBuffer.allocate(1), 0));
    }

    @Test
    void textIsJsonLikeAscii() {
        String json = EchoPayload.jsonLike(4096);
        assertEquals(4096, json.length());
        assertTrue(json.startsWith("{\"id\":1000,"), json);
        assertTrue(json.chars().allMatch(c -> c >= 0x20 && c < 0x7f));
    }
}
