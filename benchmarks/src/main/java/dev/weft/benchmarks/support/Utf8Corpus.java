package dev.weft.benchmarks.support;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * Deterministic text for the UTF-8 benchmarks: exactly {@link #SIZE} bytes of valid UTF-8 each,
 * made of words so that the mix of byte lengths looks like real text of that kind. The same seed
 * gives the same bytes on every run and machine.
 */
public enum Utf8Corpus {

    /** Printable ASCII: English-like words, digits and punctuation. 1-byte code points only. */
    ASCII,
    /** Words in Greek and in accented Latin (French, German, Polish...): mostly 2-byte code points among ASCII. */
    LATIN_GREEK,
    /** Chinese and Japanese text, no spaces: almost only 3-byte code points. */
    CJK,
    /** ASCII chat lines thick with emoji, some with skin tones and ZWJ sequences: 4-byte code points. */
    EMOJI,
    /** Words of every kind above, and rarer 4-byte CJK: every byte length, shuffled. */
    MIXED;

    /** The size of each corpus in bytes: 64 KiB. */
    public static final int SIZE = 64 * 1024;

    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    private static final String PUNCTUATION = ".,;:!?-'\"()";
    private static final String ACCENTED = "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßąćęłńśźżčřšž";
    /** Pairs of first and last code points. */
    private static final int[] EMOJI_RANGES = {
        0x1F300, 0x1F5FF, 0x1F600, 0x1F64F, 0x1F680, 0x1F6FF, 0x1F900, 0x1F9FF,
    };
    private static final int ZWJ = 0x200D;
    private static final int VARIATION_SELECTOR_16 = 0xFE0F;

    /** This corpus's bytes, new each call. */
    public byte[] bytes() {
        SplittableRandom random = new SplittableRandom(0x5EED_0000L + ordinal());
        Builder out = new Builder();
        while (!out.full()) {
            switch (this) {
                case ASCII -> asciiWord(random, out);
                case LATIN_GREEK -> latinOrGreekWord(random, out);
                case CJK -> cjkPhrase(random, out);
                case EMOJI -> emojiWord(random, out);
                case MIXED -> {
                    switch (random.nextInt(5)) {
                        case 0 -> asciiWord(random, out);
                        case 1 -> latinOrGreekWord(random, out);
                        case 2 -> cjkPhrase(random, out);
                        case 3 -> emojiWord(random, out);
                        default -> word(random, out, 1 + random.nextInt(3), () -> 0x20000 + random.nextInt(0xA6D6));
                    }
                }
            }
        }
        return out.finish();
    }

    private static void asciiWord(SplittableRandom random, Builder out) {
        word(random, out, 1 + random.nextInt(10), () -> LOWER.charAt(random.nextInt(LOWER.length())));
        if (random.nextInt(8) == 0) {
            out.append(PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length())));
        }
        out.append(random.nextInt(12) == 0 ? '\n' : ' ');
    }

    private static void latinOrGreekWord(SplittableRandom random, Builder out) {
        if (random.nextBoolean()) {
            // Greek small letters U+03B1..U+03C9, a capital now and then.
            word(random, out, 2 + random.nextInt(9),
                    () -> (random.nextInt(10) == 0 ? 0x0391 : 0x03B1) + random.nextInt(0x19));
        } else {
            word(random, out, 2 + random.nextInt(9), () -> random.nextInt(4) == 0
                    ? ACCENTED.charAt(random.nextInt(ACCENTED.length()))
                    : LOWER.charAt(random.nextInt(LOWER.length())));
        }
        out.append(random.nextInt(10) == 0 ? ',' : ' ');
    }

    private static void cjkPhrase(SplittableRandom random, Builder out) {
        // CJK unified ideographs, with now and then a run of hiragana.
        word(random, out, 2 + random.nextInt(12),
                () -> random.nextInt(6) == 0 ? 0x3041 + random.nextInt(0x56) : 0x4E00 + random.nextInt(0x51A6));
        out.append(random.nextInt(3) == 0 ? 0x3002 : 0xFF0C);  // 。 or ，
    }

    private static void emojiWord(SplittableRandom random, Builder out) {
        if (random.nextInt(3) == 0) {
            asciiWord(random, out);
            return;
        }
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            int range = random.nextInt(EMOJI_RANGES.length / 2) * 2;
            out.append(EMOJI_RANGES[range] + random.nextInt(EMOJI_RANGES[range + 1] - EMOJI_RANGES[range] + 1));
            switch (random.nextInt(6)) {
                case 0 -> out.append(0x1F3FB + random.nextInt(5));      // a skin tone
                case 1 -> out.append(VARIATION_SELECTOR_16);
                case 2 -> out.append(ZWJ).append(0x1F300 + random.nextInt(0x300));
                default -> { }
            }
        }
        out.append(' ');
    }

    private static void word(SplittableRandom random, Builder out, int length, IntSupplier codePoint) {
        for (int i = 0; i < length; i++) {
            out.append(codePoint.getAsInt());
        }
    }

    /** Collects code points until the next one might not fit, then pads with ASCII to the size. */
    private static final class Builder {
        private final StringBuilder text = new StringBuilder();
        private int bytes;

        Builder append(int codePoint) {
            if (!full()) {
                text.appendCodePoint(codePoint);
                bytes += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            }
            return this;
        }

        boolean full() {
            return bytes > SIZE - 4;
        }

        byte[] finish() {
            text.append(".".repeat(SIZE - bytes));
            byte[] out = text.toString().getBytes(StandardCharsets.UTF_8);
            if (out.length != SIZE) {
                throw new AssertionError(out.length + " bytes");
            }
            return out;
        }
    }
}
