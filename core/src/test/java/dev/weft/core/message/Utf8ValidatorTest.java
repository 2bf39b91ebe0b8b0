package dev.weft.core.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8ValidatorTest {

    /**
     * What is known about a byte string: the index of the first byte that no valid UTF-8 can
     * contain (-1 if none), and otherwise how many trailing bytes form an incomplete code point.
     */
    record Verdict(int badIndex, int pending) {

        static final Verdict VALID = new Verdict(-1, 0);

        boolean validAndComplete() {
            return badIndex < 0 && pending == 0;
        }
    }

    /**
     * The reference, built only on the JDK's strict decoder. The decoder reports where a malformed
     * sequence starts (everything before it decoded, so it is valid and complete), but the length
     * it reports follows its own conventions (a surrogate counts 3 bytes, a bad second byte 1) and
     * cannot tell a truncated sequence from a bad one at the end of input. So the exact bad byte is
     * found by asking the decoder, for each longer prefix of the sequence, whether some completion
     * makes it decode: the first prefix that no completion rescues ends at the bad byte. Any valid
     * partial sequence is completed by one of the COMPLETIONS (A0.. after E0, 90.. after F0).
     */
    static final class JdkReference {

        private static final byte[][] COMPLETIONS = {
                {}, bytes("80"), bytes("8080"), bytes("808080"), bytes("a080"), bytes("908080"),
        };

        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);

        Verdict verdict(byte[] input) {
            int start = malformedAt(input);
            if (start < 0) {
                return Verdict.VALID;
            }
            for (int end = start + 1; end <= Math.min(start + 4, input.length); end++) {
                if (!completable(Arrays.copyOfRange(input, start, end))) {
                    return new Verdict(end - 1, 0);
                }
            }
            return new Verdict(-1, input.length - start);
        }

        /** Where the decoder reports malformed input, or -1 if the whole input decodes. */
        private int malformedAt(byte[] input) {
            ByteBuffer in = ByteBuffer.wrap(input);
            // A UTF-8 byte never decodes to more than one char.
            CoderResult result = decoder.reset().decode(in, CharBuffer.allocate(input.length), true);
            return result.isError() ? in.position() : -1;
        }

        private boolean completable(byte[] partial) {
            for (byte[] completion : COMPLETIONS) {
                byte[] whole = Arrays.copyOf(partial, partial.length + completion.length);
                System.arraycopy(completion, 0, whole, partial.length, completion.length);
                if (malformedAt(whole) < 0) {
                    return true;
                }
            }
            return false;
        }
    }

    private final JdkReference reference = new JdkReference();

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** Validates input in one call and returns what the validator concluded. */
    static Verdict validateWhole(byte[] input) {
        Utf8Validator validator = new Utf8Validator();
        int bad = validator.validate(input, 0, input.length);
        return new Verdict(bad, validator.pendingBytes());
    }

    /** Validates input one byte per call, checking that the bad byte is reported by its own call. */
    private static Verdict validateBytewise(byte[] input) {
        Utf8Validator validator = new Utf8Validator();
        ByteBuffer buffer = ByteBuffer.wrap(input);
        for (int i = 0; i < input.length; i++) {
            int bad = validator.validate(buffer, i, i + 1);
            if (bad >= 0) {
                assertEquals(i, bad);
                return new Verdict(bad, validator.pendingBytes());
            }
        }
        return new Verdict(-1, validator.pendingBytes());
    }

    /** Checks the validator, whole and byte by byte, against the JDK reference. */
    private void assertAgreesWithJdk(byte[] input) {
        Verdict expected = reference.verdict(input);
        String hex = HexFormat.ofDelimiter(" ").formatHex(input);
        assertEquals(expected, validateWhole(input), hex);
        assertEquals(expected, validateBytewise(input), () -> hex + " byte by byte");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            U+0000, smallest 1-byte            | 00                | -1 | 0
            U+007F, largest 1-byte             | 7f                | -1 | 0
            U+0080, smallest 2-byte            | c2 80             | -1 | 0
            U+07FF, largest 2-byte             | df bf             | -1 | 0
            U+0800, smallest 3-byte            | e0 a0 80          | -1 | 0
            U+0FFF, largest after E0           | e0 bf bf          | -1 | 0
            U+1000, smallest after E1          | e1 80 80          | -1 | 0
            U+D7FF, last before surrogates     | ed 9f bf          | -1 | 0
            U+E000, first after surrogates     | ee 80 80          | -1 | 0
            U+FFFD, replacement character      | ef bf bd          | -1 | 0
            U+FFFF, largest 3-byte             | ef bf bf          | -1 | 0
            U+10000, smallest 4-byte           | f0 90 80 80       | -1 | 0
            U+3FFFF, largest after F0          | f0 bf bf bf       | -1 | 0
            U+40000, smallest after F1         | f1 80 80 80       | -1 | 0
            U+FFFFF, largest after F3          | f3 bf bf bf       | -1 | 0
            U+100000, smallest after F4        | f4 80 80 80       | -1 | 0
            U+10FFFF, largest code point       | f4 8f bf bf       | -1 | 0
            overlong 2-byte NUL                | c0 80             |  0 | 0
            overlong 2-byte U+007F             | c1 bf             |  0 | 0
            overlong 3-byte NUL                | e0 80 80          |  1 | 0
            overlong 3-byte U+07FF             | e0 9f bf          |  1 | 0
            overlong 4-byte NUL                | f0 80 80 80       |  1 | 0
            overlong 4-byte U+FFFF             | f0 8f bf bf       |  1 | 0
            surrogate U+D800, lowest high      | ed a0 80          |  1 | 0
            surrogate U+DBFF, highest high     | ed af bf          |  1 | 0
            surrogate U+DC00, lowest low       | ed b0 80          |  1 | 0
            surrogate U+DFFF, highest low      | ed bf bf          |  1 | 0
            surrogate pair U+D83D U+DE00       | ed a0 bd ed b8 80 |  1 | 0
            U+110000, past the largest         | f4 90 80 80       |  1 | 0
            F5 lead, past U+10FFFF             | f5 80 80 80       |  0 | 0
            FF byte                            | ff                |  0 | 0
            lone continuation 80               | 80                |  0 | 0
            lone continuation BF               | bf                |  0 | 0
            continuation after ASCII           | 41 80             |  1 | 0
            extra continuation after 2-byte    | c2 80 80          |  2 | 0
            ASCII where continuation is due    | c2 41             |  1 | 0
            new lead where continuation is due | e1 80 e1 80 80    |  2 | 0
            truncated 2-byte                   | c2                | -1 | 1
            truncated 3-byte after 1           | e1                | -1 | 1
            truncated 3-byte after 2           | e0 a0             | -1 | 2
            truncated surrogate-range ED       | ed                | -1 | 1
            truncated 4-byte after 1           | f0                | -1 | 1
            truncated 4-byte after 2           | f4 8f             | -1 | 2
            truncated 4-byte after 3           | f1 80 80          | -1 | 3
            truncated after valid text         | 41 c2 80 e2 82    | -1 | 2
            Autobahn 6.3.1 (kosme, surrogate)  | ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64 | 12 | 0
            kosme, then U+110000               | ce ba e1 bd b9 cf 83 ce bc ce b5 f4 90 80 80 65 64 69 74 65 64 | 12 | 0
            kosme, valid                       | ce ba e1 bd b9 cf 83 ce bc ce b5 | -1 | 0
            """)
    void classifiesSequenceBoundaries(String label, String hex, int badIndex, int pending) {
        byte[] input = bytes(hex);
        Verdict expected = new Verdict(badIndex, pending);

        assertEquals(expected, reference.verdict(input), "the table disagrees with the JDK");
        assertEquals(expected, validateWhole(input));
        assertEquals(expected, validateBytewise(input));
        assertEquals(expected.validAndComplete(), Utf8Validator.isValid(ByteBuffer.wrap(input), 0, input.length));
    }

    @Test
    void rejectsBytesThatNeverOccur() {
        for (int b : new int[] {0xC0, 0xC1, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF}) {
            assertEquals(new Verdict(0, 0), validateWhole(new byte[] {(byte) b, (byte) 0x80, (byte) 0x80}));
            assertEquals(new Verdict(1, 0), validateWhole(new byte[] {'a', (byte) b}));
        }
    }

    @Test
    void rejectsEveryStrayContinuationByte() {
        for (int b = 0x80; b <= 0xBF; b++) {
            assertAgreesWithJdk(new byte[] {(byte) b});
            assertAgreesWithJdk(new byte[] {'a', (byte) b, 'b'});
            assertAgreesWithJdk(new byte[] {(byte) 0xDF, (byte) 0xBF, (byte) b});
        }
    }

    @Test
    void agreesWithJdkOnEveryTwoByteString() {
        for (int i = 0; i < 0x10000; i++) {
            assertAgreesWithJdk(new byte[] {(byte) (i >>> 8), (byte) i});
        }
    }

    @Test
    void agreesWithJdkOnThreeAndFourByteBoundaryGrid() {
        int[] leads = {0x7F, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5};
        int[] followers = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xF4, 0xFF};
        for (int lead : leads) {
            for (int b1 : followers) {
                for (int b2 : followers) {
                    assertAgreesWithJdk(new byte[] {(byte) lead, (byte) b1, (byte) b2});
                    for (int b3 : followers) {
                        assertAgreesWithJdk(new byte[] {(byte) lead, (byte) b1, (byte) b2, (byte) b3});
                    }
                }
            }
        }
    }

    @Test
    void agreesWithJdkOnSampledThreeAndFourByteStrings() {
        Random random = new Random(3629);
        for (int round = 0; round < 200_000; round++) {
            byte[] input = new byte[3 + (round & 1)];
            input[0] = (byte) (0xC0 + random.nextInt(0x40));
            for (int i = 1; i < input.length; i++) {
                // Mostly continuation bytes, so that many samples get past their second byte.
                input[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 0x80 + random.nextInt(0x40));
            }
            assertAgreesWithJdk(input);
        }
    }

    @Test
    void agreesWithJdkOnRandomTextFedInRandomChunks() {
        Random random = new Random(645_581L);
        int validCount = 0;
        int invalidCount = 0;
        int incompleteCount = 0;
        for (int round = 0; round < 12_000; round++) {
            byte[] text = randomText(random);
            Verdict expected = reference.verdict(text);
            if (expected.validAndComplete()) {
                validCount++;
            } else if (expected.badIndex() >= 0) {
                invalidCount++;
            } else {
                incompleteCount++;
            }
            assertEquals(expected, validateInRandomChunks(text, random, 40),
                    () -> HexFormat.ofDelimiter(" ").formatHex(text));
        }
        // The generator must exercise all three outcomes, with valid text the most common.
        assertTrue(validCount > invalidCount && invalidCount > 1000 && incompleteCount > 400,
                validCount + " valid, " + invalidCount + " invalid, " + incompleteCount + " incomplete");
    }

    /**
     * Feeds text to one validator in random chunks, at a random offset inside byte arrays and heap
     * and direct buffers of either byte order, checking that only the chunk holding the bad byte
     * reports it and that earlier chunks report nothing. Half the chunks are shorter than 4 bytes,
     * the others shorter than {@code maxChunk}.
     */
    static Verdict validateInRandomChunks(byte[] text, Random random, int maxChunk) {
        int base = random.nextInt(9);
        byte[] array = new byte[base + text.length + random.nextInt(9)];
        System.arraycopy(text, 0, array, base, text.length);
        ByteOrder order = random.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteBuffer heap = ByteBuffer.wrap(array).order(order);
        ByteBuffer direct = ByteBuffer.allocateDirect(array.length).order(order).put(0, array);

        Utf8Validator validator = new Utf8Validator();
        int from = base;
        int end = base + text.length;
        int bad = -1;
        do {
            int to = Math.min(end, from + (random.nextBoolean() ? random.nextInt(4) : random.nextInt(maxChunk)));
            int result = switch (random.nextInt(3)) {
                case 0 -> validator.validate(array, from, to);
                case 1 -> validator.validate(heap, from, to);
                default -> validator.validate(direct, from, to);
            };
            if (result >= 0) {
                assertTrue(result >= from && result < to, "reported outside the chunk");
                bad = result - base;
                break;
            }
            from = to;
        } while (from < end);
        return new Verdict(bad, validator.pendingBytes());
    }

    /** Mostly valid UTF-8 weighted towards range edges, with occasional stray bytes and truncation. */
    static byte[] randomText(Random random) {
        int[] edges = {0x80, 0x7FF, 0x800, 0xFFF, 0x1000, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF,
                0x10000, 0x3FFFF, 0x40000, 0xFFFFF, 0x100000, 0x10FFFF};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pieces = random.nextInt(30);
        for (int i = 0; i < pieces; i++) {
            int roll = random.nextInt(100);
            if (roll < 40) {
                int run = random.nextInt(24);
                for (int j = 0; j < run; j++) {
                    out.write(0x20 + random.nextInt(0x5F));
                }
            } else if (roll < 98) {
                int codePoint;
                if (random.nextInt(5) == 0) {
                    codePoint = edges[random.nextInt(edges.length)];
                } else {
                    int[] limits = {0x80, 0x800, 0x10000, 0x110000};
                    int size = random.nextInt(4);
                    int low = size == 0 ? 0 : limits[size - 1];
                    do {
                        codePoint = low + random.nextInt(limits[size] - low);
                    } while (Character.getType(codePoint) == Character.SURROGATE);
                }
                out.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
            } else {
                out.write(random.nextInt(256));
            }
        }
        byte[] text = out.toByteArray();
        return random.nextInt(4) == 0 && text.length > 0 ? Arrays.copyOf(text, random.nextInt(text.length)) : text;
    }

    @Test
    void failsFastAtTheFragmentHoldingTheBadByte() {
        // Autobahn 6.4-style: valid "κόσμε" then F4, then 90 (past U+10FFFF), then more text.
        byte[] message = bytes("ce ba e1 bd b9 cf 83 ce bc ce b5 f4 90 80 80 65 64 69 74 65 64");
        Utf8Validator validator = new Utf8Validator();

        assertEquals(-1, validator.validate(message, 0, 12));
        assertEquals(1, validator.pendingBytes());
        assertEquals(12, validator.validate(message, 12, 13));
        assertFalse(validator.isComplete());
        assertEquals(0, validator.pendingBytes());
        // Stays failed: later input is not examined, and the first index of it is reported.
        assertEquals(13, validator.validate(message, 13, message.length));
        assertEquals(0, validator.validate(bytes("41"), 0, 1));

        validator.reset();
        assertEquals(-1, validator.validate(message, 0, 11));
        assertTrue(validator.isComplete());
    }

    @Test
    void failsFastWithinOneLongBuffer() {
        // Valid text, an invalid byte, then bytes that would be invalid too: the first is reported.
        byte[] message = bytes("41 42 43 44 45 46 47 48 49 c3 a9 ff 80 80 c0");
        Utf8Validator validator = new Utf8Validator();
        assertEquals(11, validator.validate(ByteBuffer.wrap(message), 0, message.length));
    }

    @Test
    void tracksPendingBytesAcrossSplits() {
        byte[] grinning = bytes("f0 9f 98 80"); // U+1F600
        Utf8Validator validator = new Utf8Validator();
        for (int i = 0; i < 4; i++) {
            assertEquals(-1, validator.validate(grinning, i, i + 1));
            assertEquals((i + 1) % 4, validator.pendingBytes());
            assertEquals(i == 3, validator.isComplete());
        }

        byte[] text = bytes("e2 82 ac c3 a9 41 e2 82 ac"); // "€éA€"
        int[] pendingAfterEach = {1, 2, 0, 1, 0, 0, 1, 2, 0};
        for (int i = 0; i < text.length; i++) {
            validator.validate(ByteBuffer.wrap(text), i, i + 1);
            assertEquals(pendingAfterEach[i], validator.pendingBytes(), "after byte " + i);
            assertEquals(pendingAfterEach[i] == 0, validator.isComplete());
        }

        assertEquals(-1, validator.validate(text, 0, 2));
        assertEquals(2, validator.pendingBytes());
        validator.reset();
        assertTrue(validator.isComplete());
        assertEquals(0, validator.pendingBytes());
    }

    @Test
    void findsANonAsciiByteAtEveryPositionOfAnAsciiRun() {
        for (int length = 1; length <= 40; length++) {
            for (int at = 0; at < length; at++) {
                for (int base = 0; base < 8; base++) {
                    byte[] array = new byte[base + length];
                    Arrays.fill(array, (byte) 'x');
                    array[base + at] = (byte) 0x80;
                    ByteBuffer heap = ByteBuffer.wrap(array);
                    ByteBuffer direct = ByteBuffer.allocateDirect(array.length).order(ByteOrder.LITTLE_ENDIAN);
                    direct.put(0, array);

                    assertEquals(base + at, new Utf8Validator().validate(array, base, array.length));
                    assertEquals(base + at, new Utf8Validator().validate(heap, base, array.length));
                    assertEquals(base + at, new Utf8Validator().validate(direct, base, array.length));
                }
            }
        }
    }

    @Test
    void validatesMultiByteCharactersAtEveryPositionOfAnAsciiRun() {
        byte[] euro = bytes("e2 82 ac");
        for (int length = 0; length <= 40; length++) {
            for (int at = 0; at <= length; at++) {
                byte[] array = new byte[length + euro.length];
                Arrays.fill(array, (byte) 'x');
                System.arraycopy(euro, 0, array, at, euro.length);
                Utf8Validator validator = new Utf8Validator();
                assertEquals(-1, validator.validate(array, 0, array.length));
                assertTrue(validator.isComplete());
                // Cutting the character off must leave it pending, not skipped as ASCII.
                validator.reset();
                assertEquals(-1, validator.validate(ByteBuffer.wrap(array), 0, at + 1));
                assertEquals(1, validator.pendingBytes());
            }
        }
    }

    @Test
    void usesOnlyTheGivenRangeAndLeavesTheBufferAlone() {
        ByteBuffer buffer = ByteBuffer.wrap(bytes("ff 41 c3 a9 42 ff")).position(4).limit(5);

        assertTrue(Utf8Validator.isValid(buffer, 1, 5));
        assertFalse(Utf8Validator.isValid(buffer, 1, 3));
        assertFalse(Utf8Validator.isValid(buffer, 0, 5));
        assertEquals(4, buffer.position());
        assertEquals(5, buffer.limit());
    }

    @Test
    void rejectsBadRanges() {
        Utf8Validator validator = new Utf8Validator();
        assertThrows(IndexOutOfBoundsException.class, () -> validator.validate(new byte[4], 3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> validator.validate(ByteBuffer.allocate(4), 3, 2));
        ByteBuffer limited = ByteBuffer.allocate(8).limit(4);
        assertThrows(IndexOutOfBoundsException.class, () -> validator.validate(limited, 0, 5));
    }
}
