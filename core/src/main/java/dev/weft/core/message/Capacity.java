package dev.weft.core.message;

import java.util.Arrays;

/**
 * How buffers that gather what a peer sends grow: with the bytes that arrived, doubling from a
 * small start, never to a length the peer declared. Doubling keeps the copying linear in the bytes
 * gathered; sizing by the bytes present keeps a declared 64 MiB that never comes from costing
 * 64 MiB.
 */
public final class Capacity {

    /** The first capacity of a buffer that grows from empty. */
    static final int SMALLEST = 256;
    private static final int LARGEST_ARRAY = Integer.MAX_VALUE - 8;

    private Capacity() {
    }

    /**
     * A copy of {@code bytes} with room for at least {@code needed} bytes: twice its length, or
     * {@code needed} if that is more, but no more than {@code most} unless {@code needed} is.
     *
     * @param most the most the buffer can ever need (a size limit, or a length whose bytes are
     *     known to be on their way), so doubling does not overshoot it
     */
    public static byte[] grow(byte[] bytes, int needed, long most) {
        long doubled = Math.min(Math.max(2L * bytes.length, SMALLEST), Math.min(most, LARGEST_ARRAY));
        return Arrays.copyOf(bytes, (int) Math.max(needed, doubled));
    }
}
