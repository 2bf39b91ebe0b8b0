package dev.weft.core.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8EncoderTest {

    /** The same text as the three kinds of CharSequence that take different paths. */
    private static List<CharSequence> asSequences(String text) {
        return List.of(text, new StringBuilder(text), CharBuffer.wrap(text));
    }

    @Test
    void encodesRandomValidTextLikeTheJdk() {
        Random random = new Random(3629);
        for (int round = 0; round < 5000; round++) {
            StringBuilder text = new StringBuilder();
            // Each string sticks to one kind of text about half the time, so the pure-ASCII and
            // pure-Latin-1 paths get their turn, and mixes everything otherwise.
            int kind = random.nextInt(6);
            int length = random.nextInt(200);
            for (int i = 0; i < length; i++) {
                int codePoint = switch (kind == 5 ? random.nextInt(5) : kind) {
                    case 0 -> random.nextInt(0x80);
                    case 1 -> random.nextInt(0x100);
                    case 2 -> 0x80 + random.nextInt(0x800 - 0x80);
                    case 3 -> {
                        int bmp;
                        do {
                            bmp = 0x800 + random.nextInt(0x10000 - 0x800);
                        } while (Character.isSurrogate((char) bmp));
                        yield bmp;
                    }
                    default -> 0x10000 + random.nextInt(0x110000 - 0x10000);
                };
                text.appendCodePoint(codePoint);
            }
            String string = text.toString();
            byte[] expected = string.getBytes(StandardCharsets.UTF_8);
            for (CharSequence sequence : asSequences(string)) {
                assertArrayEquals(expected, Utf8Encoder.encode(sequence), () -> sequence.getClass() + ": " + string);
            }
        }
    }

    @Test
    void encodesEachLengthBoundary() {
        String text = "\u0000\u007f\u0080\u07ff\u0800\ud7ff\ue000\uffff\ud800\udc00\udbff\udfff";
        for (CharSequence sequence : asSequences(text)) {
            assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), Utf8Encoder.encode(sequence));
        }
        assertEquals(0, Utf8Encoder.encode("").length);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            high surrogate alone              | \\uD800             | 0
            high surrogate at start           | \\uDBFFab           | 0
            high surrogate in the middle      | a\\uD83Db           | 1
            high surrogate at end             | ab\\uD83D           | 2
            low surrogate alone               | \\uDC00             | 0
            low surrogate at start            | \\uDFFFab           | 0
            low surrogate in the middle       | a\\uDE00b           | 1
            low surrogate at end              | ab\\uDE00           | 2
            pair in the wrong order           | a\\uDE00\\uD83D     | 1
            low surrogate after a pair        | \\uD83D\\uDE00\\uDE00 | 2
            two high surrogates               | \\uD83D\\uD83D\\uDE00 | 0
            """)
    void rejectsUnpairedSurrogatesNamingTheirIndex(String label, String escaped, int index) {
        String text = unescape(escaped);
        for (CharSequence sequence : asSequences(text)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Utf8Encoder.encode(sequence));
            assertTrue(e.getMessage().endsWith("at index " + index), e.getMessage());
        }
    }

    /** Turns the table's \\uXXXX escapes into chars; CSV cannot hold unpaired surrogates as text. */
    private static String unescape(String escaped) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < escaped.length(); i++) {
            if (escaped.startsWith("\\u", i)) {
                text.append((char) Integer.parseInt(escaped.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                text.append(escaped.charAt(i));
            }
        }
        return text.toString();
    }

    @Test
    void detectsATrailingHighSurrogate() {
        assertTrue(Utf8Encoder.endsWithHighSurrogate("ab\ud83d"));
        assertTrue(Utf8Encoder.endsWithHighSurrogate(new StringBuilder("\udbff")));
        assertFalse(Utf8Encoder.endsWithHighSurrogate("ab\ud83d\ude00"));
        assertFalse(Utf8Encoder.endsWithHighSurrogate("ab\ude00"));
        assertFalse(Utf8Encoder.endsWithHighSurrogate("ab"));
        assertFalse(Utf8Encoder.endsWithHighSurrogate(""));
    }
}
