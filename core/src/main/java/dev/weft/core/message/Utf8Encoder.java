package dev.weft.core.message;

import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 encoding of outgoing text (RFC 6455 §5.6: text "is interpreted as UTF-8 encoded
 * text"; RFC 3629 §3: surrogates "MUST NOT" be encoded). The JDK's own encoders replace an unpaired
 * surrogate with '?', which would silently send text other than what the caller gave; this class
 * refuses it instead. Stateless and thread-safe.
 */
public final class Utf8Encoder {

    private Utf8Encoder() {
    }

    /**
     * Encodes {@code text} as UTF-8.
     *
     * @return a new array of exactly the encoded length
     * @throws IllegalArgumentException if {@code text} contains an unpaired surrogate; the
     *         message names its index
     */
    public static byte[] encode(CharSequence text) {
        int length = text.length();
        int size = encodedLength(text);
        if (text instanceof String string) {
            // encodedLength found no unpaired surrogate, so the JDK's encoder (fastest for ASCII
            // and Latin-1 strings) has nothing to substitute.
            return string.getBytes(StandardCharsets.UTF_8);
        }
        byte[] out = new byte[size];
        if (size == length) {
            // All ASCII: one byte per char, no branches.
            for (int i = 0; i < length; i++) {
                out[i] = (byte) text.charAt(i);
            }
            return out;
        }
        int o = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                out[o++] = (byte) c;
            } else if (c < 0x800) {
                out[o++] = (byte) (0xC0 | c >>> 6);
                out[o++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                out[o++] = (byte) (0xF0 | cp >>> 18);
                out[o++] = (byte) (0x80 | cp >>> 12 & 0x3F);
                out[o++] = (byte) (0x80 | cp >>> 6 & 0x3F);
                out[o++] = (byte) (0x80 | cp & 0x3F);
            } else {
                out[o++] = (byte) (0xE0 | c >>> 12);
                out[o++] = (byte) (0x80 | c >>> 6 & 0x3F);
                out[o++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return out;
    }

    /**
     * Whether {@code text} ends in a high surrogate, so that sending it as one part of a streamed
     * text message would split a code point; the caller should hold that char back for the next part.
     */
    public static boolean endsWithHighSurrogate(CharSequence text) {
        int length = text.length();
        return length > 0 && Character.isHighSurrogate(text.charAt(length - 1));
    }

    /** The UTF-8 length of text; throws if a surrogate is unpaired, as encode documents. */
    private static int encodedLength(CharSequence text) {
        int length = text.length();
        int size = length;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                size += 1;
            } else if (!Character.isSurrogate(c)) {
                size += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                // A pair: two chars, four bytes.
                size += 2;
                i++;
            } else {
                throw new IllegalArgumentException(String.format(
                        "unpaired surrogate U+%04X at index %d", (int) c, i));
            }
        }
        return size;
    }
}
