package dev.weft.core.frame;

import dev.weft.core.simd.Segments;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Masking a vector at a time, for {@link Masking} on JDK 22 and later. Stateless. */
final class VectorMasking implements Masking.VectorLoop {

    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    // Byte lanes have no order; the argument is only required.
    private static final ByteOrder ANY = ByteOrder.nativeOrder();

    /**
     * Masks a sample once: the Vector API is an incubator whose names change between releases, and
     * a name that this JDK lacks, or a lane order other than the one assumed below, must fail here,
     * where {@code Simd.load} falls back to the scalar loop, rather than in the middle of a frame.
     */
    VectorMasking() {
        ByteBuffer sample = ByteBuffer.allocate(BYTES.length());
        int done = mask(sample, 0, sample, 0, sample.capacity(), 0x01020304);
        for (int i = 0; i < done; i++) {
            if (sample.get(i) != (i & 3) + 1) {
                throw new IllegalStateException("the vector loop masks byte " + i + " wrongly");
            }
        }
    }

    @Override
    public int mask(ByteBuffer src, int srcIndex, ByteBuffer dst, int dstIndex, int len, int rotatedKey) {
        // Arrays where the buffers have them, since a segment over an array is an object per call;
        // a segment over direct memory is not, once inlined. The tests of inArray and outArray
        // are the same in every round, so the compiler takes them out of the loop.
        byte[] inArray = src.hasArray() ? src.array() : null;
        byte[] outArray = dst.hasArray() ? dst.array() : null;
        MemorySegment in = inArray == null ? Segments.upToLimit(src) : null;
        MemorySegment out = outArray == null ? (src == dst ? in : Segments.upToLimit(dst)) : null;
        int inBase = inArray == null ? srcIndex : src.arrayOffset() + srcIndex;
        int outBase = outArray == null ? dstIndex : dst.arrayOffset() + dstIndex;
        // The key repeated across the lanes: lane i gets key byte i % 4. An int lane is laid out
        // little-endian among the bytes it becomes, so the first key byte goes in its low byte.
        ByteVector key = IntVector.broadcast(INTS, Integer.reverseBytes(rotatedKey)).reinterpretAsBytes();
        int done = BYTES.loopBound(len);
        for (int i = 0; i < done; i += BYTES.length()) {
            ByteVector masked = (inArray != null
                    ? ByteVector.fromArray(BYTES, inArray, inBase + i)
                    : ByteVector.fromMemorySegment(BYTES, in, inBase + i, ANY)).lanewise(VectorOperators.XOR, key);
            if (outArray != null) {
                masked.intoArray(outArray, outBase + i);
            } else {
                masked.intoMemorySegment(out, outBase + i, ANY);
            }
        }
        return done;
    }
}
