package dev.weft.cli.connect;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BinaryFormatTest {

    private static final ByteBuffer THREE = ByteBuffer.wrap(new byte[] {1, 2, -1});

    @Test
    void encodesAllTheBytesInHexOrBase64AndLeavesTheBufferAlone() {
        assertEquals("0102ff", BinaryFormat.HEX.encode(THREE));
        assertEquals("AQL/", BinaryFormat.BASE64.encode(THREE));
        assertEquals(3, THREE.remaining());
        assertEquals("", BinaryFormat.HEX.encode(ByteBuffer.allocate(0)));
        assertEquals("hex", BinaryFormat.HEX.key());
        assertEquals("base64", BinaryFormat.BASE64.key());
    }

    @Test
    void aSummaryShowsTheSizeAndTheFirstSixteenBytes() {
        assertEquals("<binary 3 bytes: AQL/>", BinaryFormat.BASE64.summary(THREE));
        ByteBuffer seventeen = ByteBuffer.allocate(19).position(1).limit(18);
        seventeen.put(1, (byte) 0xab);
        assertEquals("<binary 17 bytes: ab000000000000000000000000000000...>", BinaryFormat.HEX.summary(seventeen));
        assertEquals(1, seventeen.position());
    }

    @Test
    void controlPayloadsAreShownAsTextWhenTheyArePrintable() {
        assertEquals("are you there? ✓", BinaryFormat.HEX.payload(ByteBuffer.wrap("are you there? ✓".getBytes(StandardCharsets.UTF_8))));
        assertEquals("0102ff", BinaryFormat.HEX.payload(THREE));
        assertEquals("0a", BinaryFormat.HEX.payload(ByteBuffer.wrap(new byte[] {'\n'})));
    }
}
