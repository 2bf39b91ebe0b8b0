package dev.weft.interop;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Deterministic test payloads. */
final class Payloads {

    static final int MIB = 1 << 20;

    /**
     * Text with 1-, 2-, 3- and 4-byte UTF-8 characters (the last as surrogate pairs in Java), so
     * that frame and read boundaries fall inside characters.
     */
    static final String MIXED = "héllo wörld — ✓ 中文 𝄞 😀 ";

    private Payloads() {
    }

    /** ASCII text of exactly {@code bytes} bytes in UTF-8. */
    static String ascii(int bytes) {
        StringBuilder sb = new StringBuilder(bytes);
        for (int i = 0; i < bytes; i++) {
            sb.append((char) ('a' + i % 26));
        }
        return sb.toString();
    }

    /** Text of {@link #MIXED} repeated until it takes at least {@code bytes} bytes in UTF-8. */
    static String mixed(int bytes) {
        int unit = MIXED.getBytes(StandardCharsets.UTF_8).length;
        return MIXED.repeat((bytes + unit - 1) / unit);
    }

    /** {@code length} pseudo-random bytes, the same for the same seed. */
    static byte[] binary(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
