package dev.weft.benchmarks.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every UTF-8 variant the benchmark measures gives the same answer: on the corpora, the text that
 * {@code new String} decodes; on invalid input, a failure from every strict variant.
 */
class Utf8DecodersTest {

    /** Fragment sizes: the benchmark's, and small odd ones that split code points every way. */
    private static final int[] FRAGMENTS = {1024, 1, 2, 3, 5, 7};

    @ParameterizedTest
    @EnumSource(Utf8Corpus.class)
    void everyVariantDecodesEachCorpusToTheSameText(Utf8Corpus corpus) {
        byte[] bytes = corpus.bytes();
        assertEquals(Utf8Corpus.SIZE, bytes.length);
        assertArrayEquals(bytes, corpus.bytes(), "deterministic");
        String expected = new String(bytes, StandardCharsets.UTF_8);
        assertFalse(expected.contains("\uFFFD"), "valid UTF-8");

        Utf8Decoders decoders = new Utf8Decoders(bytes.length);
        for (ByteBuffer in : buffers(bytes)) {
            assertTrue(decoders.weftValidate(in));
            assertEquals(expected, decoders.weftText(in));
            assertEquals(expected, decoders.jdkDecode(in));
            assertEquals(expected, decoders.jetty(in));
            for (int fragment : FRAGMENTS) {
                assertTrue(decoders.weftValidateFragments(in, fragment), "fragments of " + fragment);
                assertEquals(expected, decoders.weftTextFragments(in, fragment), "fragments of " + fragment);
                assertEquals(expected, decoders.jdkDecodeFragments(in, fragment), "fragments of " + fragment);
                assertEquals(expected, decoders.jettyFragments(in, fragment), "fragments of " + fragment);
            }
            assertEquals(0, in.position());
            assertEquals(bytes.length, in.limit());
        }
        assertEquals(expected, Utf8Decoders.newString(ByteBuffer.wrap(bytes)));
    }

    @Test
    void corporaHaveTheByteLengthsTheyAreNamedFor() {
        assertEquals(0, leadBytes(Utf8Corpus.ASCII.bytes(), 2, 3, 4));
        assertTrue(leadBytes(Utf8Corpus.LATIN_GREEK.bytes(), 2) > 10_000);
        assertTrue(leadBytes(Utf8Corpus.CJK.bytes(), 3) > 20_000);
        assertTrue(leadBytes(Utf8Corpus.EMOJI.bytes(), 4) > 5_000);
        byte[] mixed = Utf8Corpus.MIXED.bytes();
        for (int length = 2; length <= 4; length++) {
            assertTrue(leadBytes(mixed, length) > 1_000, length + "-byte code points");
        }
    }

    /** Invalid sequences, each put in the middle of a corpus, at the start and at the end. */
    @ParameterizedTest
    @EnumSource(Utf8Corpus.class)
    void everyStrictVariantRejectsInvalidInput(Utf8Corpus corpus) {
        String[] invalid = {
            "ff", "c0af", "e080af", "eda080", "f4908080", "80", "e282", "f09f98",
        };
        byte[] valid = corpus.bytes();
        Utf8Decoders decoders = new Utf8Decoders(valid.length + 8);
        for (String hex : invalid) {
            byte[] bad = HexFormat.of().parseHex(hex);
            for (int at : new int[] {0, valid.length / 2, valid.length}) {
                // Cut on a code point boundary: move back over continuation bytes.
                int cut = at;
                while (cut > 0 && cut < valid.length && (valid[cut] & 0xC0) == 0x80) {
                    cut--;
                }
                byte[] bytes = new byte[valid.length + bad.length];
                System.arraycopy(valid, 0, bytes, 0, cut);
                System.arraycopy(bad, 0, bytes, cut, bad.length);
                System.arraycopy(valid, cut, bytes, cut + bad.length, valid.length - cut);
                String what = hex + " at " + cut;
                for (ByteBuffer in : buffers(bytes)) {
                    assertFalse(decoders.weftValidate(in), what);
                    assertNull(decoders.weftText(in), what);
                    assertNull(decoders.jdkDecode(in), what);
                    assertNull(decoders.jetty(in), what);
                    for (int fragment : new int[] {1024, 3}) {
                        assertFalse(decoders.weftValidateFragments(in, fragment), what);
                        assertNull(decoders.weftTextFragments(in, fragment), what);
                        assertNull(decoders.jdkDecodeFragments(in, fragment), what);
                        assertNull(decoders.jettyFragments(in, fragment), what);
                    }
                }
                // After a failure each variant starts the next message afresh.
                ByteBuffer good = ByteBuffer.wrap(Arrays.copyOf(valid, valid.length));
                assertTrue(decoders.weftValidate(good));
                assertEquals(new String(valid, StandardCharsets.UTF_8), decoders.jdkDecode(good));
                assertEquals(new String(valid, StandardCharsets.UTF_8), decoders.jetty(good));
            }
        }
    }

    private static ByteBuffer[] buffers(byte[] bytes) {
        return new ByteBuffer[] {ByteBuffer.wrap(bytes), ByteBuffer.allocateDirect(bytes.length).put(bytes).clear()};
    }

    /** How many code points of the given byte lengths the bytes hold, counted by their lead bytes. */
    private static int leadBytes(byte[] bytes, int... lengths) {
        int count = 0;
        for (byte b : bytes) {
            int length = (b & 0x80) == 0 ? 1
                    : (b & 0xE0) == 0xC0 ? 2
                    : (b & 0xF0) == 0xE0 ? 3
                    : (b & 0xF8) == 0xF0 ? 4
                    : 0;
            for (int wanted : lengths) {
                if (length == wanted) {
                    count++;
                }
            }
        }
        return count;
    }
}
