package dev.weft.benchmarks.support;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Two ways of masking (RFC 6455 §5.3) that Weft's {@code Masking} is measured against, in place
 * over absolute indexes of a buffer in its own byte order, starting at the first key byte. Both
 * are written the way Java WebSocket libraries commonly write them. Stateless and thread-safe.
 */
public final class ReferenceMasking {

    private ReferenceMasking() {
    }

    /**
     * One byte at a time: "octet i of the transformed data is the XOR of octet i of the original
     * data with octet at index i modulo 4 of the masking key".
     *
     * @param key the masking key as on the wire, big-endian: the first key byte is bits 31..24
     */
    public static void byteLoop(ByteBuffer buf, int index, int len, int key) {
        for (int i = 0; i < len; i++) {
            int shift = 24 - ((i & 3) << 3);
            buf.put(index + i, (byte) (buf.get(index + i) ^ (key >>> shift)));
        }
    }

    /**
     * Four bytes at a time through {@code getInt}/{@code putInt}, then a byte tail. The int is read
     * in the buffer's order, so the key is byte-reversed for a little-endian buffer.
     */
    public static void intLoop(ByteBuffer buf, int index, int len, int key) {
        int wordKey = buf.order() == ByteOrder.BIG_ENDIAN ? key : Integer.reverseBytes(key);
        int i = 0;
        for (; i <= len - Integer.BYTES; i += Integer.BYTES) {
            buf.putInt(index + i, buf.getInt(index + i) ^ wordKey);
        }
        // A whole number of words has passed, so the tail starts again at the first key byte.
        for (; i < len; i++) {
            int shift = 24 - ((i & 3) << 3);
            buf.put(index + i, (byte) (buf.get(index + i) ^ (key >>> shift)));
        }
    }
}
