package dev.weft.benchmarks.support;

import dev.weft.core.frame.Masking;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Every masking variant the benchmark measures gives the bytes of the RFC 6455 §5.3 definition. */
class ReferenceMaskingTest {

    private static final int KEY = 0x37FA213D;
    private static final byte[] KEY_BYTES = {0x37, (byte) 0xFA, 0x21, 0x3D};

    private interface Mask {
        void apply(ByteBuffer buf, int index, int len);
    }

    private record Variant(String name, Mask mask) {
    }

    private static final List<Variant> VARIANTS = List.of(
            new Variant("weft", (buf, index, len) -> Masking.mask(buf, index, buf, index, len, KEY, 0)),
            new Variant("byteLoop", (buf, index, len) -> ReferenceMasking.byteLoop(buf, index, len, KEY)),
            new Variant("intLoop", (buf, index, len) -> ReferenceMasking.intLoop(buf, index, len, KEY)));

    @Test
    void everyVariantMatchesTheDefinition() {
        SplittableRandom random = new SplittableRandom(42);
        int[] lengths = IntStream.concat(IntStream.rangeClosed(0, 32), IntStream.of(125, 126, 127, 1023, 1024, 65539))
                .toArray();
        for (int len : lengths) {
            for (int offset : new int[] {0, 1, 2, 3}) {
                byte[] original = new byte[offset + len + 5];
                random.nextBytes(original);
                byte[] expected = original.clone();
                for (int i = 0; i < len; i++) {
                    expected[offset + i] ^= KEY_BYTES[i & 3];
                }
                for (Variant variant : VARIANTS) {
                    for (boolean direct : new boolean[] {false, true}) {
                        for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
                            ByteBuffer buf = (direct ? ByteBuffer.allocateDirect(original.length)
                                    : ByteBuffer.allocate(original.length)).order(order);
                            buf.put(original).clear();
                            variant.mask().apply(buf, offset, len);
                            byte[] actual = new byte[original.length];
                            buf.get(0, actual);
                            assertArrayEquals(expected, actual, () -> variant.name() + ", length " + len + ", offset "
                                    + offset + (direct ? ", direct, " : ", heap, ") + order);
                        }
                    }
                }
            }
        }
    }
}
