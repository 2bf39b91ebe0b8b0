package dev.weft.core.frame;

import dev.weft.core.simd.Simd;

import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Payload masking (RFC 6455 §5.3): "octet i of the transformed data is the XOR of octet i of the
 * original data with octet at index i modulo 4 of the masking key". Masking and unmasking are the
 * same operation. Stateless and thread-safe; the only state, the position within the key, is
 * passed in and returned so that a frame can be masked in chunks as its bytes arrive.
 *
 * <p>Where {@link Simd} allows, a payload of {@value #VECTOR_MIN} bytes or more is masked a whole
 * vector at a time first; the rest goes eight bytes at a time, then byte by byte.
 */
public final class Masking {

    /** Below this length the vector loop would not run a whole vector or not pay for its set-up. */
    private static final int VECTOR_MIN = 64;

    /** Masks whole vectors: {@code VectorMasking}, in the JDK 22 part of the multi-release jar. */
    interface VectorLoop {

        /**
         * Masks the longest prefix of the range that fills whole vectors, with the key already
         * rotated to the first byte, and returns its length, a multiple of 4 (so the key's
         * rotation stays as it is for the rest).
         */
        int mask(ByteBuffer src, int srcIndex, ByteBuffer dst, int dstIndex, int len, int rotatedKey);
    }

    /** Loaded when masking first needs it, so that the scalar path never touches the Vector API. */
    private static final class Vector {
        static final VectorLoop LOOP = Simd.load(MethodHandles.lookup(), "VectorMasking", VectorLoop.class);
    }

    private Masking() {
    }

    /** "vector" or "scalar": how this JVM masks long payloads. */
    static String path() {
        return Vector.LOOP != null ? "vector" : "scalar";
    }

    /**
     * XORs {@code len} bytes of {@code src} starting at absolute index {@code srcIndex} with the
     * masking key and writes them to {@code dst} starting at absolute index {@code dstIndex}.
     * {@code src} and {@code dst} may be the same buffer at the same index (in-place unmasking);
     * other overlaps are not supported. Positions, limits and byte orders of both buffers are left
     * as they were; heap and direct buffers of either byte order work.
     *
     * @param key the 32-bit masking key as it appears on the wire, big-endian: the first key byte
     *        is bits 31..24
     * @param maskOffset how many bytes of the key (0..3) earlier chunks of the same frame used
     * @return the mask offset for the next chunk of the same frame, {@code (maskOffset + len) & 3}
     * @throws IndexOutOfBoundsException if a range exceeds its buffer's limit or maskOffset is not
     *         0..3; nothing is written then
     */
    public static int mask(ByteBuffer src, int srcIndex, ByteBuffer dst, int dstIndex, int len, int key,
                           int maskOffset) {
        Objects.checkFromIndexSize(srcIndex, len, src.limit());
        Objects.checkFromIndexSize(dstIndex, len, dst.limit());
        Objects.checkIndex(maskOffset, 4);

        // The key as it applies to this chunk: its first byte is the one at maskOffset.
        int rotated = Integer.rotateLeft(key, maskOffset * Byte.SIZE);
        // Two copies of the key fill a word; read in src's order, the first key byte must meet the
        // first payload byte, which is the low byte of a little-endian word.
        long wordMask = ((long) rotated << Integer.SIZE) | (rotated & 0xFFFF_FFFFL);
        if (src.order() == ByteOrder.LITTLE_ENDIAN) {
            wordMask = Long.reverseBytes(wordMask);
        }
        // A word read in one order and written in the other would come out byte-reversed.
        boolean swap = src.order() != dst.order();

        int i = 0;
        if (len >= VECTOR_MIN && Vector.LOOP != null && !dst.isReadOnly()) {
            i = Vector.LOOP.mask(src, srcIndex, dst, dstIndex, len, rotated);
        }
        for (; i <= len - Long.BYTES; i += Long.BYTES) {
            long word = src.getLong(srcIndex + i) ^ wordMask;
            dst.putLong(dstIndex + i, swap ? Long.reverseBytes(word) : word);
        }
        // Words are a multiple of 4 bytes, so the tail starts at the first byte of the rotated key.
        for (; i < len; i++) {
            dst.put(dstIndex + i, (byte) (src.get(srcIndex + i) ^ (rotated >>> 24)));
            rotated = Integer.rotateLeft(rotated, Byte.SIZE);
        }
        return (maskOffset + len) & 3;
    }
}
