package dev.weft.core.test;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * How the fuzz targets read their input: a few choices first, then the byte stream the code under
 * test is fed, cut into chunks of fuzzer-chosen sizes. {@link FuzzSeed} writes inputs in this
 * layout.
 */
public final class FuzzInput {

    /** The largest chunk: one byte of input chooses its size. */
    public static final int MAX_CHUNK = 255;

    private FuzzInput() {
    }

    /** The rest of the input as chunks of 1 to {@link #MAX_CHUNK} bytes, each size chosen by the input. */
    public static List<byte[]> chunks(FuzzedDataProvider data) {
        List<byte[]> chunks = new ArrayList<>();
        while (data.remainingBytes() > 0) {
            chunks.add(data.consumeBytes(data.consumeInt(1, MAX_CHUNK)));
        }
        return chunks;
    }

    /** The chunks joined, as one input. */
    public static byte[] joined(List<byte[]> chunks) {
        int n = 0;
        for (byte[] c : chunks) {
            n += c.length;
        }
        ByteBuffer out = ByteBuffer.allocate(n);
        for (byte[] c : chunks) {
            out.put(c);
        }
        return out.array();
    }

    /**
     * A writable buffer holding {@code bytes} from an offset inside a larger array, so the code under
     * test cannot get away with assuming a buffer starts at index 0. The decoders unmask in place;
     * the caller's array is not touched.
     */
    public static ByteBuffer offsetBuffer(byte[] bytes) {
        byte[] backing = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, backing, 3, bytes.length);
        return ByteBuffer.wrap(backing, 3, bytes.length).slice();
    }
}
