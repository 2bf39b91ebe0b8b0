package dev.weft.core.message;

import dev.weft.core.simd.Simd;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A streaming UTF-8 validator for text messages and close reasons: "When an endpoint is to
 * interpret a byte stream as UTF-8 but finds that the byte stream is not, in fact, a valid UTF-8
 * stream, that endpoint MUST _Fail the WebSocket Connection_" (RFC 6455 §8.1). It accepts exactly
 * the well-formed byte sequences of RFC 3629 §4 (Unicode Table 3-7), is fed a message's bytes in
 * any number of pieces, carries a code point split between pieces, and stops at the first byte
 * that no valid UTF-8 can contain, so a connection fails as soon as the bad byte arrives.
 *
 * <p>Runs of ASCII are skipped eight bytes at a time, and a code point that lies wholly within
 * the input is checked in one step, from the four bytes it starts as one int; a code point split
 * between pieces, and one that fails that check, go through a deterministic automaton over byte
 * classes, which keeps the state between calls and finds the exact bad byte. Where
 * {@link Simd} allows, input of {@value #VECTOR_MIN} bytes or more that starts on a code point
 * boundary is first scanned a vector at a time, and the scalar loop takes over where the vector
 * scan stops: at the end of the input (on a code point boundary), or before the first bad byte,
 * which it then finds. One instance per connection; not thread-safe.
 */
public final class Utf8Validator {

    /** Below this length the vector scan would not fill a vector or not pay for its set-up. */
    private static final int VECTOR_MIN = 64;

    /** Scans whole vectors: {@code VectorUtf8}, in the JDK 22 part of the multi-release jar. */
    interface VectorScan {

        /**
         * Given that {@code from} is on a code point boundary, returns an index in
         * {@code [from, to]}, also on a code point boundary, before which bytes {@code [from, to)}
         * are valid: the scalar loop continues from there, and finds the first bad byte if any.
         */
        int validPrefix(ByteBuffer buf, int from, int to);

        /** {@link #validPrefix(ByteBuffer, int, int)} over an array. */
        int validPrefix(byte[] bytes, int from, int to);
    }

    /** Loaded when validation first needs it, so that the scalar path never touches the Vector API. */
    private static final class Vector {
        static final VectorScan SCAN = Simd.load(MethodHandles.lookup(), "VectorUtf8", VectorScan.class);
    }

    /** "vector" or "scalar": how this JVM validates long input. */
    static String path() {
        return Vector.SCAN != null ? "vector" : "scalar";
    }

    // Byte classes: bytes that the well-formed sequences table treats alike. Continuation bytes
    // (80..BF) fall in three classes because the second byte after E0, ED, F0 and F4 is restricted.
    private static final int ASCII = 0;          // 00..7F
    private static final int CONT_80_8F = 1;
    private static final int CONT_90_9F = 2;
    private static final int CONT_A0_BF = 3;
    private static final int NEVER = 4;          // C0, C1 (overlong leads), F5..FF (past U+10FFFF)
    private static final int LEAD2 = 5;          // C2..DF
    private static final int LEAD3_E0 = 6;       // E0: second byte A0..BF, else overlong
    private static final int LEAD3 = 7;          // E1..EC, EE, EF
    private static final int LEAD3_ED = 8;       // ED: second byte 80..9F, else a surrogate
    private static final int LEAD4_F0 = 9;       // F0: second byte 90..BF, else overlong
    private static final int LEAD4 = 10;         // F1..F3
    private static final int LEAD4_F4 = 11;      // F4: second byte 80..8F, else past U+10FFFF

    // States, named after the byte expected next: THREE_OF_4 waits for the third byte of a 4-byte
    // sequence. So a state also tells how many bytes of the code point were read, which is what
    // pendingBytes() reports. The _E0/_ED/_F0/_F4 states restrict the second byte.
    private static final int ACCEPT = 0;         // on a code point boundary
    private static final int REJECT = 1;         // invalid; absorbing until reset()
    private static final int TWO_OF_2 = 2;
    private static final int TWO_OF_3 = 3;
    private static final int TWO_OF_3_E0 = 4;
    private static final int TWO_OF_3_ED = 5;
    private static final int THREE_OF_3 = 6;
    private static final int TWO_OF_4 = 7;
    private static final int TWO_OF_4_F0 = 8;
    private static final int TWO_OF_4_F4 = 9;
    private static final int THREE_OF_4 = 10;
    private static final int FOUR_OF_4 = 11;

    /** Bytes already read of the code point in progress, by state. */
    private static final byte[] PENDING = {0, 0, 1, 1, 1, 1, 2, 1, 1, 1, 2, 3};

    // Rows of 16 entries (12 used) so that a transition is TRANSITIONS[state << 4 | class].
    private static final int ROW_BITS = 4;
    private static final byte[] CLASSES = new byte[256];
    private static final byte[] TRANSITIONS = new byte[PENDING.length << ROW_BITS];

    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    // The ASCII check looks at every byte's top bit, so the byte order of the views does not
    // matter; a code point is read first byte highest, whatever the buffer's order.
    private static final VarHandle ARRAY_LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle ARRAY_INTS =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BUFFER_LONGS =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BUFFER_INTS =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    static {
        classify(0x00, 0x7F, ASCII);
        classify(0x80, 0x8F, CONT_80_8F);
        classify(0x90, 0x9F, CONT_90_9F);
        classify(0xA0, 0xBF, CONT_A0_BF);
        classify(0xC0, 0xC1, NEVER);
        classify(0xC2, 0xDF, LEAD2);
        classify(0xE0, 0xE0, LEAD3_E0);
        classify(0xE1, 0xEC, LEAD3);
        classify(0xED, 0xED, LEAD3_ED);
        classify(0xEE, 0xEF, LEAD3);
        classify(0xF0, 0xF0, LEAD4_F0);
        classify(0xF1, 0xF3, LEAD4);
        classify(0xF4, 0xF4, LEAD4_F4);
        classify(0xF5, 0xFF, NEVER);

        // Table 3-7, one row per sequence shape; anything not listed is rejected.
        Arrays.fill(TRANSITIONS, (byte) REJECT);
        on(ACCEPT, ASCII, ACCEPT);                                            // 00..7F
        on(ACCEPT, LEAD2, TWO_OF_2);                                          // C2..DF 80..BF
        anyContinuation(TWO_OF_2, ACCEPT);
        on(ACCEPT, LEAD3_E0, TWO_OF_3_E0);                                    // E0 A0..BF 80..BF
        on(TWO_OF_3_E0, CONT_A0_BF, THREE_OF_3);
        on(ACCEPT, LEAD3, TWO_OF_3);                                          // E1..EC|EE..EF 80..BF 80..BF
        anyContinuation(TWO_OF_3, THREE_OF_3);
        on(ACCEPT, LEAD3_ED, TWO_OF_3_ED);                                    // ED 80..9F 80..BF
        on(TWO_OF_3_ED, CONT_80_8F, THREE_OF_3);
        on(TWO_OF_3_ED, CONT_90_9F, THREE_OF_3);
        anyContinuation(THREE_OF_3, ACCEPT);
        on(ACCEPT, LEAD4_F0, TWO_OF_4_F0);                                    // F0 90..BF 80..BF 80..BF
        on(TWO_OF_4_F0, CONT_90_9F, THREE_OF_4);
        on(TWO_OF_4_F0, CONT_A0_BF, THREE_OF_4);
        on(ACCEPT, LEAD4, TWO_OF_4);                                          // F1..F3 80..BF 80..BF 80..BF
        anyContinuation(TWO_OF_4, THREE_OF_4);
        on(ACCEPT, LEAD4_F4, TWO_OF_4_F4);                                    // F4 80..8F 80..BF 80..BF
        on(TWO_OF_4_F4, CONT_80_8F, THREE_OF_4);
        anyContinuation(THREE_OF_4, FOUR_OF_4);
        anyContinuation(FOUR_OF_4, ACCEPT);
    }

    /**
     * Checks a whole code point from the four bytes {@code w} that start with its first byte (the
     * highest), which is not ASCII: the rows of Table 3-7 as bit patterns, the ranges of each
     * code point length as its bits. Faster than a table step per byte for the common case, a code
     * point that does not straddle the end of the input.
     *
     * @return the code point's length, 2 to 4, if it is well-formed; else 0, and the automaton
     *     finds which of its bytes is the bad one
     */
    private static int wellFormedLength(int w) {
        switch (Integer.numberOfLeadingZeros(~w)) {                       // the lead's leading 1 bits
            case 2 -> {                                                   // 110xxxxx 10xxxxxx
                // C0 and C1 could only start overlong forms: some of the lead's bits 4..1 are set.
                return (w & 0xE0C0_0000) == 0xC080_0000 && (w & 0x1E00_0000) != 0 ? 2 : 0;
            }
            case 3 -> {                                                   // 1110xxxx 10xxxxxx 10xxxxxx
                // The lead's low four bits and the second byte's bit 5: E0 80..9F is overlong,
                // ED A0..BF a surrogate.
                int t = w >>> 21 & 0x79;
                return (w & 0xF0C0_C000) == 0xE080_8000 && t != 0 && t != (0xD << 3 | 1) ? 3 : 0;
            }
            case 4 -> {                                                   // 11110xxx 10xxxxxx 10xxxxxx 10xxxxxx
                // Bits 20..16 of the code point: U+10000 to U+10FFFF, planes 1 to 16.
                int plane = (w >>> 22 & 0x1C) | (w >>> 20 & 0x3);
                return (w & 0xF8C0_C0C0) == 0xF080_8080 && plane != 0 && plane <= 16 ? 4 : 0;
            }
            default -> {                                                  // a continuation, F8..FF
                return 0;
            }
        }
    }

    private static void classify(int first, int last, int byteClass) {
        Arrays.fill(CLASSES, first, last + 1, (byte) byteClass);
    }

    private static void on(int state, int byteClass, int next) {
        TRANSITIONS[state << ROW_BITS | byteClass] = (byte) next;
    }

    private static void anyContinuation(int state, int next) {
        on(state, CONT_80_8F, next);
        on(state, CONT_90_9F, next);
        on(state, CONT_A0_BF, next);
    }

    private int state = ACCEPT;

    /** A validator at the start of a message. */
    public Utf8Validator() {
    }

    /**
     * Validates bytes {@code [from, to)} of {@code buf} (absolute indexes; position and limit are
     * not used or changed), continuing from where earlier calls left off.
     *
     * @return -1 if the bytes validated so far are valid (though perhaps incomplete), else the
     *         absolute index of the first byte no valid UTF-8 could contain. Once invalid, the
     *         validator stays invalid until {@link #reset()}, and later calls return {@code from}.
     */
    public int validate(ByteBuffer buf, int from, int to) {
        Objects.checkFromToIndex(from, to, buf.limit());
        if (buf.hasArray()) {
            int offset = buf.arrayOffset();
            int bad = validate(buf.array(), offset + from, offset + to);
            return bad < 0 ? bad : bad - offset;
        }
        int s = state;
        if (s == REJECT) {
            return from;
        }
        int i = from;
        // The rest of a code point begun in an earlier call.
        for (; s != ACCEPT && i < to; i++) {
            s = TRANSITIONS[s << ROW_BITS | CLASSES[buf.get(i) & 0xFF]];
            if (s == REJECT) {
                state = REJECT;
                return i;
            }
        }
        if (s == ACCEPT) {
            if (to - i >= VECTOR_MIN && Vector.SCAN != null) {
                i = Vector.SCAN.validPrefix(buf, i, to);
            }
            i = wholeCodePoints(buf, i, to);
        }
        // A code point cut off by the end of the input, or a bad one.
        for (; i < to; i++) {
            s = TRANSITIONS[s << ROW_BITS | CLASSES[buf.get(i) & 0xFF]];
            if (s == REJECT) {
                state = REJECT;
                return i;
            }
        }
        state = s;
        return -1;
    }

    /** {@link #validate(ByteBuffer, int, int)} for bytes {@code [from, to)} of an array. */
    public int validate(byte[] bytes, int from, int to) {
        Objects.checkFromToIndex(from, to, bytes.length);
        int s = state;
        if (s == REJECT) {
            return from;
        }
        int i = from;
        for (; s != ACCEPT && i < to; i++) {
            s = TRANSITIONS[s << ROW_BITS | CLASSES[bytes[i] & 0xFF]];
            if (s == REJECT) {
                state = REJECT;
                return i;
            }
        }
        if (s == ACCEPT) {
            if (to - i >= VECTOR_MIN && Vector.SCAN != null) {
                i = Vector.SCAN.validPrefix(bytes, i, to);
            }
            i = wholeCodePoints(bytes, i, to);
        }
        for (; i < to; i++) {
            s = TRANSITIONS[s << ROW_BITS | CLASSES[bytes[i] & 0xFF]];
            if (s == REJECT) {
                state = REJECT;
                return i;
            }
        }
        state = s;
        return -1;
    }

    /**
     * Skips the well-formed code points from {@code i}, a code point boundary, and returns where
     * it stopped: at a code point that is bad or that may be cut off by {@code to}, or at
     * {@code to}. The (long) and (int) casts make the VarHandle calls exact, so they compile to
     * loads.
     */
    private static int wholeCodePoints(byte[] bytes, int i, int to) {
        while (i < to) {
            if (bytes[i] >= 0) {
                i++;
                // Where there is one ASCII byte, there are often more: eight at a time.
                while (i <= to - Long.BYTES && ((long) ARRAY_LONGS.get(bytes, i) & HIGH_BITS) == 0) {
                    i += Long.BYTES;
                }
            } else {
                int n = i <= to - Integer.BYTES ? wellFormedLength((int) ARRAY_INTS.get(bytes, i)) : 0;
                if (n == 0) {
                    return i;
                }
                i += n;
            }
        }
        return i;
    }

    /** {@link #wholeCodePoints(byte[], int, int)} over a buffer without an accessible array. */
    private static int wholeCodePoints(ByteBuffer buf, int i, int to) {
        while (i < to) {
            if (buf.get(i) >= 0) {
                i++;
                while (i <= to - Long.BYTES && ((long) BUFFER_LONGS.get(buf, i) & HIGH_BITS) == 0) {
                    i += Long.BYTES;
                }
            } else {
                int n = i <= to - Integer.BYTES ? wellFormedLength((int) BUFFER_INTS.get(buf, i)) : 0;
                if (n == 0) {
                    return i;
                }
                i += n;
            }
        }
        return i;
    }

    /**
     * Whether the bytes validated so far are valid and end on a whole code point; a text message
     * must be complete at its final fragment.
     */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /**
     * How many bytes at the end of the input validated so far belong to a code point that is not
     * complete yet (0..3); 0 once invalid. A caller that streams text keeps these for the next part.
     */
    public int pendingBytes() {
        return PENDING[state];
    }

    /** Returns to the start of a message, forgetting earlier input and any failure. */
    public void reset() {
        state = ACCEPT;
    }

    /** Whether bytes {@code [from, to)} of {@code buf} are valid UTF-8 ending on a whole code point. */
    public static boolean isValid(ByteBuffer buf, int from, int to) {
        // Without a validator object: a sender checks every message it sends as UTF-8 text, and
        // this keeps that free of garbage whatever the compiler inlines.
        Objects.checkFromToIndex(from, to, buf.limit());
        int s = ACCEPT;
        if (buf.hasArray()) {
            byte[] bytes = buf.array();
            int i = buf.arrayOffset() + from;
            int end = buf.arrayOffset() + to;
            if (end - i >= VECTOR_MIN && Vector.SCAN != null) {
                i = Vector.SCAN.validPrefix(bytes, i, end);
            }
            for (i = wholeCodePoints(bytes, i, end); i < end && s != REJECT; i++) {
                s = TRANSITIONS[s << ROW_BITS | CLASSES[bytes[i] & 0xFF]];
            }
        } else {
            int i = from;
            if (to - i >= VECTOR_MIN && Vector.SCAN != null) {
                i = Vector.SCAN.validPrefix(buf, i, to);
            }
            for (i = wholeCodePoints(buf, i, to); i < to && s != REJECT; i++) {
                s = TRANSITIONS[s << ROW_BITS | CLASSES[buf.get(i) & 0xFF]];
            }
        }
        return s == ACCEPT;
    }
}
