package dev.weft.core.frame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

class MaskingTest {

    private static final int KEY = 0x37FA213D;

    /** Which buffers a masking call reads and writes. */
    record Layout(boolean srcDirect, ByteOrder srcOrder, boolean dstDirect, ByteOrder dstOrder, boolean inPlace) {

        ByteBuffer src(int capacity) {
            return allocate(srcDirect, srcOrder, capacity);
        }

        ByteBuffer dst(ByteBuffer src, int capacity) {
            return inPlace ? src : allocate(dstDirect, dstOrder, capacity);
        }

        @Override
        public String toString() {
            String src = (srcDirect ? "direct " : "heap ") + srcOrder;
            return inPlace ? "in place, " + src : src + " -> " + (dstDirect ? "direct " : "heap ") + dstOrder;
        }
    }

    static List<Layout> layouts() {
        List<Layout> layouts = new ArrayList<>();
        for (boolean srcDirect : new boolean[] {false, true}) {
            for (ByteOrder srcOrder : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
                layouts.add(new Layout(srcDirect, srcOrder, srcDirect, srcOrder, true));
                for (boolean dstDirect : new boolean[] {false, true}) {
                    for (ByteOrder dstOrder : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
                        layouts.add(new Layout(srcDirect, srcOrder, dstDirect, dstOrder, false));
                    }
                }
            }
        }
        return layouts;
    }

    private static ByteBuffer allocate(boolean direct, ByteOrder order, int capacity) {
        return (direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity)).order(order);
    }

    /** The key byte that masks payload byte i of a chunk that starts maskOffset bytes into the key. */
    private static byte keyByte(int key, int maskOffset, int i) {
        return (byte) (key >>> (24 - 8 * ((maskOffset + i) & 3)));
    }

    /** Masks one byte at a time, straight from the RFC's definition. */
    private static byte[] referenceMask(byte[] data, int key, int maskOffset) {
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = (byte) (data[i] ^ keyByte(key, maskOffset, i));
        }
        return out;
    }

    private static byte[] contents(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.capacity()];
        buffer.duplicate().clear().get(0, bytes);
        return bytes;
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void matchesTheByteByByteReferenceForEveryIndexLengthAndMaskOffset(Layout layout) {
        int guard = Long.BYTES;
        int capacity = 16 + 1024 + guard;
        Random random = new Random(6455);
        byte[] srcBytes = new byte[capacity];
        byte[] dstBytes = new byte[capacity];
        random.nextBytes(srcBytes);
        random.nextBytes(dstBytes);
        ByteBuffer src = layout.src(capacity);
        ByteBuffer dst = layout.dst(src, capacity);
        src.put(0, srcBytes);
        if (!layout.inPlace()) {
            dst.put(0, dstBytes);
        }
        byte[] dstBefore = layout.inPlace() ? srcBytes : dstBytes;
        // Marked positions and limits must survive every call.
        src.position(3).limit(capacity - 1);
        dst.position(3).limit(capacity - 1);

        for (int srcIndex = 0; srcIndex <= 16; srcIndex++) {
            // A destination index with a different alignment from the source, unless in place.
            int dstIndex = layout.inPlace() ? srcIndex : (srcIndex * 7 + 3) % 17;
            for (int len = 0; len <= 1024; len++) {
                for (int maskOffset = 0; maskOffset < 4; maskOffset++) {
                    int next = Masking.mask(src, srcIndex, dst, dstIndex, len, KEY, maskOffset);

                    assertEquals((maskOffset + len) & 3, next);
                    for (int i = 0; i < len; i++) {
                        byte expected = (byte) (srcBytes[srcIndex + i] ^ keyByte(KEY, maskOffset, i));
                        if (dst.get(dstIndex + i) != expected) {
                            fail(layout + ": byte " + i + " of srcIndex=" + srcIndex + " dstIndex=" + dstIndex
                                    + " len=" + len + " maskOffset=" + maskOffset);
                        }
                    }
                    int guardEnd = Math.min(dstIndex + len + guard, dst.limit());
                    for (int i = Math.max(dstIndex - guard, 0); i < guardEnd; i++) {
                        if ((i < dstIndex || i >= dstIndex + len) && dst.get(i) != dstBefore[i]) {
                            fail(layout + ": wrote outside the range at " + i + ", len=" + len);
                        }
                    }
                    // Undo, so that every case starts from the same bytes.
                    src.put(srcIndex, srcBytes, srcIndex, len);
                    dst.put(dstIndex, dstBefore, dstIndex, len);
                }
            }
        }
        assertEquals(3, src.position());
        assertEquals(capacity - 1, src.limit());
        assertEquals(layout.srcOrder(), src.order());
        assertEquals(3, dst.position());
        assertEquals(capacity - 1, dst.limit());
        assertEquals(layout.inPlace() ? layout.srcOrder() : layout.dstOrder(), dst.order());
    }

    @Test
    void matchesTheReferenceOnRandomCases() {
        Random random = new Random(0x5EED);
        List<Layout> layouts = layouts();
        for (int round = 0; round < 2000; round++) {
            Layout layout = layouts.get(random.nextInt(layouts.size()));
            int len = random.nextInt(4096);
            int srcIndex = random.nextInt(64);
            int dstIndex = layout.inPlace() ? srcIndex : random.nextInt(64);
            int capacity = 64 + len + random.nextInt(16);
            int key = random.nextInt();
            int maskOffset = random.nextInt(4);
            byte[] srcBytes = new byte[capacity];
            byte[] dstBytes = new byte[capacity];
            random.nextBytes(srcBytes);
            random.nextBytes(dstBytes);
            ByteBuffer src = layout.src(capacity).put(0, srcBytes);
            ByteBuffer dst = layout.inPlace() ? src : layout.dst(src, capacity).put(0, dstBytes);

            int next = Masking.mask(src, srcIndex, dst, dstIndex, len, key, maskOffset);

            byte[] expected = layout.inPlace() ? srcBytes.clone() : dstBytes.clone();
            byte[] payload = new byte[len];
            System.arraycopy(srcBytes, srcIndex, payload, 0, len);
            System.arraycopy(referenceMask(payload, key, maskOffset), 0, expected, dstIndex, len);
            assertArrayEquals(expected, contents(dst), () -> "round with " + layout + ", len " + len);
            assertEquals((maskOffset + len) & 3, next);
        }
    }

    @Test
    void maskingInChunksWithTheReturnedOffsetEqualsMaskingWhole() {
        Random random = new Random(42);
        for (int round = 0; round < 1000; round++) {
            byte[] payload = new byte[random.nextInt(3000)];
            random.nextBytes(payload);
            int key = random.nextInt();
            ByteBuffer buffer = allocate(random.nextBoolean(),
                    random.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN, payload.length);
            buffer.put(0, payload);

            int offset = 0;
            for (int start = 0; start < payload.length; ) {
                // Empty chunks too: a frame's payload may arrive in pieces of any size.
                int chunk = Math.min(random.nextInt(20), payload.length - start);
                offset = Masking.mask(buffer, start, buffer, start, chunk, key, offset);
                start += chunk;
            }

            assertArrayEquals(referenceMask(payload, key, 0), contents(buffer));
            assertEquals(payload.length & 3, offset);
        }
    }

    @Test
    void unmasksTheRfc6455MaskedHelloFrame() {
        // RFC 6455 §5.7: "A single-frame masked text message": FIN + text, MASK + length 5,
        // masking key 37 fa 21 3d, masked "Hello".
        byte[] frame = HexFormat.of().parseHex("8185" + "37fa213d" + "7f9f4d5158");
        for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
            ByteBuffer buffer = ByteBuffer.wrap(frame.clone()).order(order);
            int key = ByteBuffer.wrap(frame, 2, 4).getInt();

            // Unmask in two chunks, as if the frame arrived split after "Hel".
            int offset = Masking.mask(buffer, 6, buffer, 6, 3, key, 0);
            assertEquals(3, offset);
            offset = Masking.mask(buffer, 9, buffer, 9, 2, key, offset);

            assertEquals("Hello", new String(buffer.array(), 6, 5, StandardCharsets.US_ASCII));
            assertEquals(1, offset);
        }
    }

    @Test
    void masksHelloIntoTheRfc6455Bytes() {
        ByteBuffer src = ByteBuffer.wrap("Hello".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer dst = ByteBuffer.allocateDirect(5).order(ByteOrder.LITTLE_ENDIAN);

        Masking.mask(src, 0, dst, 0, 5, KEY, 0);

        assertArrayEquals(HexFormat.of().parseHex("7f9f4d5158"), contents(dst));
    }

    @Test
    void rejectsRangesPastTheLimitWithoutWriting() {
        ByteBuffer src = ByteBuffer.allocate(32).limit(16);
        ByteBuffer dst = ByteBuffer.allocate(32).limit(16);

        assertThrows(IndexOutOfBoundsException.class, () -> Masking.mask(src, 8, dst, 0, 9, KEY, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> Masking.mask(src, 0, dst, 8, 9, KEY, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> Masking.mask(src, 0, dst, 0, -1, KEY, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> Masking.mask(src, 0, dst, 0, 8, KEY, 4));
        assertArrayEquals(new byte[32], contents(dst));
    }
}
