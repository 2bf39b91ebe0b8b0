package dev.weft.core.message;

import dev.weft.core.message.Utf8ValidatorTest.JdkReference;
import dev.weft.core.message.Utf8ValidatorTest.Verdict;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The differential cases of {@link Utf8ValidatorTest} in input long enough for the vector scan
 * (several vectors of the widest, 64-byte, kind): each sequence shape at every position of ASCII
 * and of multi-byte text, so that it falls on every lane and across the boundary of two vectors,
 * whole and split at every point; long random text in random chunks. The reference is the JDK's
 * strict decoder. On the scalar path (JDK 17, or without the incubator module) the same cases run
 * through the scalar loop; {@code SimdPathTest} checks which path this JVM took.
 */
class Utf8ValidatorLongInputTest {

    /** Longer than two 64-byte vectors and the three bytes a vector looks back. */
    private static final int SPAN = 2 * 64 + 4;

    /** Sequence shapes: valid edges, overlongs, surrogates, past U+10FFFF, strays, truncations. */
    private static final List<String> CASES = List.of(
            "c2 80", "df bf", "e0 a0 80", "ed 9f bf", "ee 80 80", "ef bf bf", "f0 90 80 80", "f3 bf bf bf",
            "f4 8f bf bf",
            "c0 80", "c1 bf", "e0 80 80", "e0 9f bf", "f0 80 80 80", "f0 8f bf bf", "ed a0 80", "ed bf bf",
            "f4 90 80 80", "f5 80 80 80", "f8 80 80 80", "fe", "ff", "80", "bf", "c2 80 80", "e2 82 ac bf",
            "c2 41", "e1 41", "e1 80 41", "f1 41", "f1 80 41", "f1 80 80 41", "e1 80 e1 80 80", "f0 c2 80",
            "c2", "e1", "e0 a0", "ed", "f0", "f4 8f", "f1 80 80");

    /** Text before and after a case: ASCII, or code points of every length. */
    private static final List<String> FILLERS = List.of("x", "aé€\uD834\uDD1E");

    private final JdkReference reference = new JdkReference();

    @Test
    void findsEveryCaseAtEveryPositionWholeAndAtEverySplit() {
        int checked = 0;
        for (String filler : FILLERS) {
            byte[] text = filler.repeat(SPAN).getBytes(StandardCharsets.UTF_8);
            for (String hex : CASES) {
                byte[] sequence = HexFormat.ofDelimiter(" ").parseHex(hex);
                for (int at = 0; at <= SPAN; at = nextBoundary(text, at)) {
                    // Followed by more text, and at the very end, where it may be left pending.
                    for (int after : new int[] {SPAN, 0}) {
                        byte[] input = join(text, at, sequence, text, after);
                        Verdict expected = reference.verdict(input);
                        String label = hex + " after " + at + " bytes of " + filler;
                        assertEquals(expected, Utf8ValidatorTest.validateWhole(input), label);
                        ByteBuffer heap = ByteBuffer.wrap(input);
                        ByteBuffer direct = ByteBuffer.allocateDirect(input.length).put(0, input);
                        assertEquals(expected.validAndComplete(), Utf8Validator.isValid(heap, 0, input.length), label);
                        assertEquals(expected.validAndComplete(), Utf8Validator.isValid(direct, 0, input.length), label);
                        for (int split = 0; split <= input.length; split++) {
                            ByteBuffer buffer = (split & 1) == 0 ? heap : direct;
                            assertEquals(expected, validateSplit(input, buffer, split), label + ", split at " + split);
                        }
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 10_000, checked + " inputs");
    }

    @Test
    void agreesWithJdkOnLongRandomTextInLongRandomChunks() {
        Random random = new Random(2021);
        int invalid = 0;
        for (int round = 0; round < 4000; round++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (out.size() < 300) {
                out.writeBytes(Utf8ValidatorTest.randomText(random));
            }
            byte[] text = out.toByteArray();
            Verdict expected = reference.verdict(text);
            invalid += expected.badIndex() >= 0 ? 1 : 0;
            assertEquals(expected, Utf8ValidatorTest.validateInRandomChunks(text, random, 400),
                    () -> HexFormat.ofDelimiter(" ").formatHex(text));
            int from = random.nextInt(4);
            assertEquals(reference.verdict(Arrays.copyOfRange(text, from, text.length)).validAndComplete(),
                    Utf8Validator.isValid(ByteBuffer.wrap(text), from, text.length), "from " + from);
        }
        assertTrue(invalid > 400 && invalid < 3600, invalid + " invalid");
    }

    @Test
    void agreesWithJdkOnAsciiWithRandomBytes() {
        Random random = new Random(3629);
        for (int round = 0; round < 20_000; round++) {
            byte[] input = new byte[64 + random.nextInt(200)];
            for (int i = 0; i < input.length; i++) {
                input[i] = (byte) (random.nextInt(50) == 0 ? random.nextInt(256) : 'a' + random.nextInt(26));
            }
            Verdict expected = reference.verdict(input);
            assertEquals(expected, Utf8ValidatorTest.validateWhole(input),
                    () -> HexFormat.ofDelimiter(" ").formatHex(input));
        }
    }

    /** The next code point boundary of valid text after index {@code i}. */
    private static int nextBoundary(byte[] text, int i) {
        do {
            i++;
        } while (i < text.length && (text[i] & 0xC0) == 0x80);
        return i;
    }

    private static byte[] join(byte[] text, int before, byte[] sequence, byte[] more, int after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(text, 0, before);
        out.writeBytes(sequence);
        out.write(more, 0, after);
        return out.toByteArray();
    }

    /**
     * Validates input in two calls, the first up to {@code split} over the array, the second over
     * a buffer holding the same bytes.
     */
    private static Verdict validateSplit(byte[] input, ByteBuffer buffer, int split) {
        Utf8Validator validator = new Utf8Validator();
        int bad = validator.validate(input, 0, split);
        if (bad < 0) {
            bad = validator.validate(buffer, split, input.length);
            assertTrue(bad < 0 || bad >= split, "reported in the second call before its start");
        }
        return new Verdict(bad, validator.pendingBytes());
    }
}
