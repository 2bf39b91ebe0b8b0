package dev.weft.benchmarks.hostile;

import com.github.luben.zstd.ZstdInputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bytes the attackers write and the reader of what servers send back. */
class WireBytesTest {

    @Test
    void aHeaderDeclaresItsLengthInTheShortestFormWithItsMaskingKey() {
        byte[] key = {1, 2, 3, 4};
        assertArrayEquals(new byte[] {(byte) 0x82, (byte) 0xfd, 1, 2, 3, 4},
                ClientFrames.header(true, false, ClientFrames.BINARY, 125, key));
        assertArrayEquals(new byte[] {(byte) 0x42, (byte) 0xfe, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4},
                ClientFrames.header(false, true, ClientFrames.BINARY, 0xffff, key));
        // 64 MiB: the header of the declared-length attack, 14 bytes.
        assertArrayEquals(new byte[] {(byte) 0x82, (byte) 0xff, 0, 0, 0, 0, 4, 0, 0, 0, 1, 2, 3, 4},
                ClientFrames.header(true, false, ClientFrames.BINARY, 64L << 20, key));
    }

    @Test
    void aFrameIsMaskedWithTheKeyInItsHeader() {
        byte[] frame = ClientFrames.text("Hello");
        assertEquals((byte) 0x81, frame[0]);
        assertEquals((byte) 0x85, frame[1]);
        byte[] unmasked = new byte[5];
        for (int i = 0; i < 5; i++) {
            unmasked[i] = (byte) (frame[6 + i] ^ frame[2 + (i & 3)]);
        }
        assertArrayEquals("Hello".getBytes(StandardCharsets.US_ASCII), unmasked);
    }

    @Test
    void serverFramesAreCountedAndTheCloseCodeReadWhateverTheSplit() {
        byte[] stream = concat(
                new byte[] {(byte) 0x81, 0x02, 'h', 'i'},                        // text
                new byte[] {(byte) 0x8a, 0x00},                                  // empty pong
                new byte[] {(byte) 0x82, 0x7e, 0x01, 0x00}, new byte[256],       // binary, 16-bit length
                new byte[] {(byte) 0x88, 0x04, 0x03, (byte) 0xf1, 'n', 'o'},     // close 1009 "no"
                new byte[] {(byte) 0x81, 0x00});                                 // after the close: ignored
        for (int piece = 1; piece <= stream.length; piece++) {
            ServerFrames frames = new ServerFrames();
            for (int from = 0; from < stream.length; from += piece) {
                frames.feed(stream, from, Math.min(stream.length, from + piece));
            }
            assertEquals(1009, frames.closeCode(), "pieces of " + piece);
            assertEquals(2, frames.dataFrames(), "pieces of " + piece);
            assertEquals(1, frames.pongs(), "pieces of " + piece);
        }
    }

    @Test
    void aCloseFrameWithoutACodeReads1005() {
        ServerFrames frames = new ServerFrames();
        frames.feed(new byte[] {(byte) 0x88, 0x00}, 0, 2);
        assertEquals(1005, frames.closeCode());
    }

    @Test
    void deflatedZerosInflateToExactlyTheSizeAskedOnceTheTailIsPutBack() throws DataFormatException {
        long size = (3 << 20) + 12345;
        byte[] compressed = Compressed.deflatedZeros(size);
        assertTrue(compressed.length < size / 500, compressed.length + " bytes");
        Inflater inflater = new Inflater(true);
        // RFC 7692 §7.2.2: the receiver appends 00 00 ff ff before inflating.
        inflater.setInput(concat(compressed, new byte[] {0, 0, (byte) 0xff, (byte) 0xff}));
        byte[] out = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = inflater.inflate(out)) > 0) {
            for (int i = 0; i < n; i++) {
                assertEquals(0, out[i]);
            }
            total += n;
        }
        inflater.end();
        assertEquals(size, total);
    }

    @Test
    void zstdZerosDecompressToExactlyTheSizeAsked() throws IOException {
        long size = (3 << 20) + 12345;
        byte[] compressed = Compressed.zstdZeros(size);
        assertTrue(compressed.length < size / 500, compressed.length + " bytes");
        long total = 0;
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(compressed))) {
            byte[] out = new byte[1 << 16];
            int n;
            while ((n = in.read(out)) > 0) {
                total += n;
            }
        }
        assertEquals(size, total);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
