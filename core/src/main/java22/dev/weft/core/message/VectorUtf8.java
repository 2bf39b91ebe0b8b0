package dev.weft.core.message;

import dev.weft.core.simd.Segments;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 validation a vector at a time, for {@link Utf8Validator} on JDK 22 and later, after John
 * Keiser and Daniel Lemire, "Validating UTF-8 In Less Than One Instruction Per Byte" (2021): every
 * error of RFC 3629 shows in a byte together with the byte before it, classified by three 16-entry
 * tables looked up by nibble, except a missing or extra third or fourth byte, which shows as a
 * continuation that is or is not two or three bytes after a lead of three or four. A vector of
 * ASCII is checked only for a sequence left unfinished before it. Stateless.
 *
 * <p>The scan finds whether a vector holds an error, not which byte is the first bad one, and
 * leaves the end of the input, where a code point may be unfinished, to the scalar automaton: it
 * returns where that should take over, a code point boundary before which everything is valid.
 */
final class VectorUtf8 implements Utf8Validator.VectorScan {

    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_PREFERRED;
    private static final int LANES = BYTES.length();
    // Byte lanes have no order; the argument is only required.
    private static final ByteOrder ANY = ByteOrder.nativeOrder();
    private static final ByteVector ZERO = ByteVector.zero(BYTES);

    // What the pair (previous byte, this byte) can be wrong with: a pair is bad where the three
    // tables below, looked up by the previous byte's high and low nibble and this byte's high
    // nibble, share a bit. The names of the paper.
    private static final int TOO_SHORT = 1;          // a lead or ASCII where a continuation is due
    private static final int TOO_LONG = 1 << 1;      // a continuation after ASCII
    private static final int OVERLONG_3 = 1 << 2;    // E0 80..9F
    private static final int TOO_LARGE = 1 << 3;     // past U+10FFFF: F4 90..BF, F5..FF
    private static final int SURROGATE = 1 << 4;     // ED A0..BF
    private static final int OVERLONG_2 = 1 << 5;    // C0, C1
    private static final int TOO_LARGE_1000 = 1 << 6; // F5..FF 80..8F
    private static final int OVERLONG_4 = 1 << 6;    // F0 80..8F
    private static final int TWO_CONTS = 1 << 7;     // a continuation after a continuation
    private static final int CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS;

    private static final ByteVector BYTE_1_HIGH = table(
            TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,   // 0___
            TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS,                                       // 10__
            TOO_SHORT | OVERLONG_2,                                                           // 1100
            TOO_SHORT,                                                                        // 1101
            TOO_SHORT | OVERLONG_3 | SURROGATE,                                               // 1110
            TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4);                             // 1111
    private static final ByteVector BYTE_1_LOW = table(
            CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4,                                     // ___0000
            CARRY | OVERLONG_2,                                                               // ___0001
            CARRY, CARRY,                                                                     // ___001_
            CARRY | TOO_LARGE,                                                                // ___0100
            CARRY | TOO_LARGE | TOO_LARGE_1000,                                               // ___0101
            CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,          // ___011_
            CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,          // ___1000..
            CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
            CARRY | TOO_LARGE | TOO_LARGE_1000,
            CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE,                                   // ___1101
            CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000);         // ..1111
    private static final ByteVector BYTE_2_HIGH = table(
            TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, // 0___
            TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,    // 1000
            TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,                      // 1001
            TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,                       // 101_
            TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
            TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT);                                      // 11__

    /** A table of 16 entries in the first lanes, for {@code selectFrom} by a nibble. */
    private static ByteVector table(int... entries) {
        byte[] lanes = new byte[LANES];
        for (int i = 0; i < LANES; i++) {
            lanes[i] = (byte) entries[i % entries.length];
        }
        return ByteVector.fromArray(BYTES, lanes, 0);
    }

    /**
     * Scans a sample once: the Vector API is an incubator whose names change between releases, and
     * a name that this JDK lacks must fail here, where {@code Simd.load} falls back to the scalar
     * loop, rather than in the middle of a message.
     */
    VectorUtf8() {
        String text = "caf\u00e9 \u20ac \ud83d\ude00 " + "x".repeat(2 * LANES) + "\u00e9" + "x".repeat(LANES);
        byte[] sample = text.getBytes(StandardCharsets.UTF_8);
        if (validPrefix(sample, 0, sample.length) < 2 * LANES
                || validPrefix(ByteBuffer.allocateDirect(sample.length).put(0, sample), 0, sample.length) < 2 * LANES) {
            throw new IllegalStateException("the vector scan rejects valid text");
        }
    }

    @Override
    public int validPrefix(ByteBuffer buf, int from, int to) {
        return validPrefix(null, buf, from, to);
    }

    @Override
    public int validPrefix(byte[] bytes, int from, int to) {
        return validPrefix(bytes, null, from, to);
    }

    /**
     * Over {@code array}, or if that is null, over {@code buf}: an array is read as one, since a
     * segment over it is an object per call. Direct memory has no other way in than a segment,
     * made here so that the compiler may drop it (JDK 25 still allocates 32 bytes per call). The
     * test of which is the same in every round, so the compiler takes it out of the loop.
     */
    private static int validPrefix(byte[] array, ByteBuffer buf, int from, int to) {
        MemorySegment segment = array == null ? Segments.upToLimit(buf) : null;
        int i = from;
        for (; i <= to - LANES; i += LANES) {
            ByteVector input = load(array, segment, i);
            if (input.compare(VectorOperators.LT, 0).anyTrue()) {
                // The bytes before from are not this text's: from is a boundary, as after ASCII.
                boolean first = i == from;
                ByteVector prev1 = first ? ZERO.slice(LANES - 1, input) : load(array, segment, i - 1);
                ByteVector prev2 = first ? ZERO.slice(LANES - 2, input) : load(array, segment, i - 2);
                ByteVector prev3 = first ? ZERO.slice(LANES - 3, input) : load(array, segment, i - 3);
                if (hasError(input, prev1, prev2, prev3)) {
                    break;
                }
            } else if (i != from && endsUnfinished(array, buf, i)) {
                break;
            }
        }
        return codePointStart(array, buf, from, i);
    }

    private static ByteVector load(byte[] array, MemorySegment segment, int index) {
        return array != null
                ? ByteVector.fromArray(BYTES, array, index)
                : ByteVector.fromMemorySegment(BYTES, segment, index, ANY);
    }

    private static boolean hasError(ByteVector input, ByteVector prev1, ByteVector prev2, ByteVector prev3) {
        ByteVector special = prev1.lanewise(VectorOperators.LSHR, 4).selectFrom(BYTE_1_HIGH)
                .and(prev1.and((byte) 0x0F).selectFrom(BYTE_1_LOW))
                .and(input.lanewise(VectorOperators.LSHR, 4).selectFrom(BYTE_2_HIGH));
        // Two bytes after E0..FF (111_____) or three after F0..FF (1111____) a continuation is
        // due, and TWO_CONTS is expected; anywhere else it is an error, and so is its absence here.
        // (Shifts, not unsigned comparisons, whose names changed between JDK 22 and 25.)
        VectorMask<Byte> thirdOrFourth = prev2.lanewise(VectorOperators.LSHR, 5).compare(VectorOperators.EQ, 0b111)
                .or(prev3.lanewise(VectorOperators.LSHR, 4).compare(VectorOperators.EQ, 0b1111));
        return special.lanewise(VectorOperators.XOR, (byte) TWO_CONTS, thirdOrFourth)
                .compare(VectorOperators.NE, 0).anyTrue();
    }

    /** Whether the bytes before {@code i} end with a lead whose continuations should follow. */
    private static boolean endsUnfinished(byte[] array, ByteBuffer buf, int i) {
        return unsigned(array, buf, i - 1) >= 0xC0 || unsigned(array, buf, i - 2) >= 0xE0
                || unsigned(array, buf, i - 3) >= 0xF0;
    }

    /**
     * The first byte of the code point that the valid bytes {@code [from, end)} end in, if that
     * may go on past {@code end}; else {@code end}.
     */
    private static int codePointStart(byte[] array, ByteBuffer buf, int from, int end) {
        for (int k = 1; k <= 3 && end - k >= from; k++) {
            int b = unsigned(array, buf, end - k);
            if (b < 0x80) {
                return end - k + 1;
            }
            if (b >= 0xC0) {
                return end - k;
            }
        }
        return end;
    }

    /** A single byte, read from the buffer rather than the segment, which then stays in one method. */
    private static int unsigned(byte[] array, ByteBuffer buf, int index) {
        return (array != null ? array[index] : buf.get(index)) & 0xFF;
    }
}
