package dev.weft.ext.zstd;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Zstandard frame headers (RFC 8878 §3.1.1), whole and split at every byte. */
class FrameHeaderReaderTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            single segment, 1-byte size 5          | 28b52ffd 20 05                         | 6  | 5          | 5
            single segment, 2-byte size (+256)     | 28b52ffd 60 0001                       | 7  | 512        | 512
            single segment, 4-byte size            | 28b52ffd a0 00000100                   | 9  | 65536      | 65536
            single segment, 8-byte size            | 28b52ffd e0 0000000001000000           | 13 | 4294967296 | 4294967296
            window 2^17, no size                   | 28b52ffd 00 38                         | 6  | 131072     | -1
            window 2^17 + 3/8, no size             | 28b52ffd 00 3b                         | 6  | 180224     | -1
            window 2^10, the smallest              | 28b52ffd 00 00                         | 6  | 1024       | -1
            window 2^27, 4-byte size 1 MiB         | 28b52ffd 80 88 00001000                | 10 | 134217728  | 1048576
            window 2^20, 1-byte dictionary, size   | 28b52ffd 81 50 07 00001000             | 11 | 1048576    | 1048576
            single segment, 4-byte dictionary      | 28b52ffd 23 01020304 7f                | 10 | 127        | 127
            """)
    void readsTheFieldsFromEverySplit(String name, String hex, int length, long window, long contentSize) {
        byte[] header = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertEquals(length, header.length, name);
        for (int split = 0; split <= header.length; split++) {
            FrameHeaderReader reader = new FrameHeaderReader();
            ByteBuffer first = ByteBuffer.wrap(header, 0, split);
            boolean complete = reader.take(first);
            assertEquals(split == header.length, complete, "split at " + split);
            assertFalse(first.hasRemaining());
            assertEquals(split > 0, reader.started());
            assertTrue(reader.take(ByteBuffer.wrap(header, split, header.length - split)) || split == header.length);
            assertEquals(window, reader.windowSize(), name);
            assertEquals(contentSize, reader.contentSize(), name);
            assertEquals(ByteBuffer.wrap(header), reader.bytes());
        }
    }

    @Test
    void takesNoBytePastTheHeader() {
        FrameHeaderReader reader = new FrameHeaderReader();
        ByteBuffer in = ByteBuffer.wrap(HexFormat.of().parseHex("28b52ffd2005" + "290000"));
        assertTrue(reader.take(in));
        assertEquals(3, in.remaining());
        reader.reset();
        assertFalse(reader.started());
    }

    @Test
    void readsTheDictionaryId() {
        FrameHeaderReader reader = new FrameHeaderReader();
        assertTrue(reader.take(ByteBuffer.wrap(HexFormat.of().parseHex("28b52ffd23010203047f"))));
        assertEquals(0x04030201L, reader.dictionaryId());
        reader.reset();
        assertTrue(reader.take(ByteBuffer.wrap(HexFormat.of().parseHex("28b52ffd2005"))));
        assertEquals(0, reader.dictionaryId());
    }

    @Test
    void anEightByteSizeBeyondLongIsTooLargeForAnything() {
        FrameHeaderReader reader = new FrameHeaderReader();
        assertTrue(reader.take(ByteBuffer.wrap(HexFormat.of().parseHex("28b52ffde0ffffffffffffffff"))));
        assertEquals(Long.MAX_VALUE, reader.contentSize());
        assertEquals(Long.MAX_VALUE, reader.windowSize());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a skippable frame       | 502a4d18 04000000
            a legacy v0.7 frame     | 27b52ffd 00
            not zstd at all         | 48656c6c 6f
            the reserved bit set    | 28b52ffd 08 38
            """)
    void refusesWhatIsNotAStandardFrame(String name, String hex) {
        FrameHeaderReader reader = new FrameHeaderReader();
        assertThrows(IllegalArgumentException.class,
                () -> reader.take(ByteBuffer.wrap(HexFormat.of().parseHex(hex.replace(" ", "")))), name);
    }

    @Test
    void agreesWithWhatTheLibraryWrites() {
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            ctx.setLevel(3);
            ctx.setWindowLog(17);
            // One piece, ended: single segment with the content size.
            FrameHeaderReader whole = new FrameHeaderReader();
            assertTrue(whole.take(compress(ctx, new byte[1000], EndDirective.END)));
            assertEquals(1000, whole.contentSize());
            assertEquals(1000, whole.windowSize());
            // Flushed, size unknown: the configured window.
            FrameHeaderReader flushed = new FrameHeaderReader();
            assertTrue(flushed.take(compress(ctx, new byte[1000], EndDirective.FLUSH)));
            assertEquals(FrameHeaderReader.UNKNOWN, flushed.contentSize());
            assertEquals(1 << 17, flushed.windowSize());
        }
    }

    private static ByteBuffer compress(ZstdCompressCtx ctx, byte[] data, EndDirective directive) {
        ByteBuffer in = ByteBuffer.allocateDirect(data.length).put(data).flip();
        ByteBuffer out = ByteBuffer.allocateDirect(data.length + 1024);
        while (!ctx.compressDirectByteBufferStream(out, in, directive)) {
            // the output has room for everything, so zstd finishes at once
        }
        return out.flip();
    }
}
