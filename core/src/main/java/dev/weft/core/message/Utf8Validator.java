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
 * the input is checked in one step; a code point split between pieces goes through a
 * deterministic automaton over byte classes, which keeps the state between calls. Where
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

    // For each first byte: the length of the sequence it starts (0 if it starts none), and the
    // range of the second byte (Table 3-7). Used by sequence().
    private static final byte[] LENGTH = new byte[256];
    private static final int[] SECOND_LOW = new int[256];
    private static final int[] SECOND_HIGH = new int[256];

    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    /** The longest well-formed sequence: a code point this far from the end is checked whole. */
    private static final int MAX_SEQUENCE = 4;
    // The ASCII check looks at every byte's top bit, so the byte order of the view does not matter.
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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

        lead(0xC2, 0xDF, 2, 0x80, 0xBF);
        lead(0xE0, 0xE0, 3, 0xA0, 0xBF);
        lead(0xE1, 0xEC, 3, 0x80, 0xBF);
        lead(0xED, 0xED, 3, 0x80, 0x9F);
        lead(0xEE, 0xEF, 3, 0x80, 0xBF);
        lead(0xF0, 0xF0, 4, 0x90, 0xBF);
        lead(0xF1, 0xF3, 4, 0x80, 0xBF);
        lead(0xF4, 0xF4, 4, 0x80, 0x8F);

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
     * Checks a whole code point whose first byte {@code b0} is not ASCII, given the three bytes
     * after it, with the ranges of Table 3-7 written out: faster than a table step per byte for the
     * common case, a code point that does not straddle the end of the input (the automaton takes
     * the others).
     *
     * @return the code point's length, 2 to 4, if it is well-formed; otherwise {@code -(k + 1)},
     *     where {@code k} is the position within it of the first byte no valid UTF-8 could hold
     */
    private static int sequence(int b0, int b1, int b2, int b3) {
        int length = LENGTH[b0];
        if (length == 0) {
            return -1;                                  // a continuation byte, C0/C1 or F5..FF
        }
        // Only the second byte has a lead-dependent range (E0, ED, F0 and F4 narrow it).
        if (b1 < SECOND_LOW[b0] || b1 > SECOND_HIGH[b0]) {
            return -2;
        }
        if (length == 2) {
            return 2;
        }
        if (!isContinuation(b2)) {
            return -3;
        }
        if (length == 3) {
            return 3;
        }
        return isContinuation(b3) ? 4 : -4;
    }

    private static boolean isContinuation(int b) {
        return (b & 0xC0) == 0x80;
    }

    private static void lead(int first, int last, int length, int secondLow, int secondHigh) {
        Arrays.fill(LENGTH, first, last + 1, (byte) length);
        Arrays.fill(SECOND_LOW, first, last + 1, secondLow);
        Arrays.fill(SECOND_HIGH, first, last + 1, secondHigh);
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
        int s = state;
        if (s == REJECT) {
            return from;
        }
        int start = from;
        if (s == ACCEPT && to - from >= VECTOR_MIN && Vector.SCAN != null) {
            start = Vector.SCAN.validPrefix(buf, from, to);
        }
        for (int i = start; i < to; i++) {
            if (s == ACCEPT) {
                // Between code points a word with no top bit set is eight ASCII bytes: skip it.
                while (i <= to - Long.BYTES && (buf.getLong(i) & HIGH_BITS) == 0) {
                    i += Long.BYTES;
                }
                if (i == to) {
                    break;
                }
                int b0 = buf.get(i) & 0xFF;
                if (b0 < 0x80) {
                    continue;
                }
                if (to - i >= MAX_SEQUENCE) {
                    int n = sequence(b0, buf.get(i + 1) & 0xFF, buf.get(i + 2) & 0xFF, buf.get(i + 3) & 0xFF);
                    if (n < 0) {
                        state = REJECT;
                        return i - n - 1;
                    }
                    i += n - 1;
                    continue;
                }
            }
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
        int start = from;
        if (s == ACCEPT && to - from >= VECTOR_MIN && Vector.SCAN != null) {
            start = Vector.SCAN.validPrefix(bytes, from, to);
        }
        for (int i = start; i < to; i++) {
            if (s == ACCEPT) {
                // As above; the (long) cast makes the VarHandle call exact, so it compiles to a load.
                while (i <= to - Long.BYTES && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
                    i += Long.BYTES;
                }
                if (i == to) {
                    break;
                }
                int b0 = bytes[i] & 0xFF;
                if (b0 < 0x80) {
                    continue;
                }
                if (to - i >= MAX_SEQUENCE) {
                    int n = sequence(b0, bytes[i + 1] & 0xFF, bytes[i + 2] & 0xFF, bytes[i + 3] & 0xFF);
                    if (n < 0) {
                        state = REJECT;
                        return i - n - 1;
                    }
                    i += n - 1;
                    continue;
                }
            }
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
        Utf8Validator validator = new Utf8Validator();
        return validator.validate(buf, from, to) < 0 && validator.isComplete();
    }
}
