package dev.weft.transport.nio.loop;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The write queue against a socket that takes as many bytes as a test lets it. */
class WriteQueueTest {

    /** A channel that takes at most {@code room} bytes until given more, and records every call. */
    private static final class Socket implements GatheringByteChannel {
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        final List<Integer> buffersPerCall = new ArrayList<>();
        long room = Long.MAX_VALUE;

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            buffersPerCall.add(length);
            long n = 0;
            for (int i = offset; i < offset + length && room > 0; i++) {
                ByteBuffer b = srcs[i];
                int take = (int) Math.min(b.remaining(), room);
                byte[] bytes = new byte[take];
                b.get(bytes);
                taken.writeBytes(bytes);
                room -= take;
                n += take;
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src}, 0, 1);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private final Stages stages = new Stages();
    private final WriteQueue queue = new WriteQueue(stages, 1 << 20, 1 << 19);
    private final Socket socket = new Socket();
    private final ByteBuffer[] gather = new ByteBuffer[64];

    private static ByteBuffer bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    private static byte[] array(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void smallFramesLeaveTogetherInOneBufferWithOneCall() throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 32; i++) {
            ByteBuffer head = bytes(2, i);
            ByteBuffer body = bytes(64, 100 + i);
            expected.writeBytes(array(head));
            expected.writeBytes(array(body));
            queue.add(head, body, null);
        }
        assertEquals(32 * 66, queue.queuedBytes());
        assertEquals(32 * 66, queue.writeTo(socket, gather));
        assertEquals(List.of(1), socket.buffersPerCall, "one staged run, one write");
        assertArrayEquals(expected.toByteArray(), socket.taken.toByteArray());
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.queuedBytes());
    }

    @Test
    void largeAndDirectBuffersAreWrittenFromWhereTheyAreInOrder() throws IOException {
        ByteBuffer big = bytes(WriteQueue.COPY_LIMIT + 1, 1);
        ByteBuffer direct = ByteBuffer.allocateDirect(10).put(array(bytes(10, 2))).flip();
        ByteBuffer small = bytes(5, 3);
        byte[] expected = concat(array(bytes(2, 9)), array(big), array(direct), array(small), array(bytes(2, 9)));
        queue.add(bytes(2, 9), big, null);
        queue.add(direct, null, null);
        queue.add(small, bytes(2, 9), null);
        queue.writeTo(socket, gather);
        assertArrayEquals(expected, socket.taken.toByteArray());
        assertEquals(List.of(4), socket.buffersPerCall, "stage, big, direct, stage");
    }

    @Test
    void aFrameHeaderIsWrittenStraightIntoTheStage() throws IOException {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        queue.addFrame(0x81, ByteBuffer.wrap("hi".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), null);
        queue.addFrame(0x82, ByteBuffer.allocate(200), null);
        queue.addFrame(0x82, ByteBuffer.allocate(70_000), sent);
        assertEquals(4 + 4 + 200 + 10 + 70_000, queue.queuedBytes());
        queue.writeTo(socket, gather);
        byte[] wire = socket.taken.toByteArray();
        assertArrayEquals(new byte[] {(byte) 0x81, 2, 'h', 'i', (byte) 0x82, 126, 0, (byte) 200}, java.util.Arrays.copyOf(wire, 8));
        assertArrayEquals(new byte[] {(byte) 0x82, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70},
                java.util.Arrays.copyOfRange(wire, 208, 218), "a 64-bit length, RFC 6455 §5.2");
        assertEquals(List.of(2), socket.buffersPerCall, "the staged headers and small body, then the large body");
        assertTrue(sent.isDone());
    }

    @Test
    void futuresCompleteInOrderWhenTheirLastByteHasLeft() throws IOException {
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        queue.add(bytes(2, 1), bytes(8, 2), first);
        queue.add(bytes(2, 3), bytes(8, 4), null);
        queue.add(bytes(2, 5), bytes(8, 6), second);
        socket.room = 9;
        queue.writeTo(socket, gather);
        assertFalse(first.isDone(), "one byte of the first write is still queued");
        assertEquals(21, queue.queuedBytes());
        socket.room = 1;
        queue.writeTo(socket, gather);
        assertTrue(first.isDone());
        assertFalse(second.isDone());
        socket.room = Long.MAX_VALUE;
        queue.writeTo(socket, gather);
        assertTrue(second.isDone());
        assertTrue(queue.isEmpty());
    }

    @Test
    void aFullSocketLeavesNoStageLentAndNothingIsLost() throws IOException {
        Random random = new Random(7);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int round = 0; round < 200; round++) {
            for (int i = random.nextInt(5); i >= 0; i--) {
                ByteBuffer head = bytes(2 + random.nextInt(12), random.nextInt());
                int size = random.nextInt(10) == 0 ? WriteQueue.COPY_LIMIT + random.nextInt(40_000) : random.nextInt(300);
                ByteBuffer body = random.nextBoolean() ? bytes(size, random.nextInt())
                        : ByteBuffer.allocateDirect(size).put(array(bytes(size, random.nextInt()))).flip();
                expected.writeBytes(array(head));
                expected.writeBytes(array(body));
                CompletableFuture<Void> f = random.nextBoolean() ? new CompletableFuture<>() : null;
                if (f != null) {
                    futures.add(f);
                }
                queue.add(head, body, f);
            }
            socket.room = random.nextInt(3) == 0 ? 0 : random.nextInt(20_000);
            queue.writeTo(socket, gather);
            assertEquals(expected.size() - socket.taken.size(), queue.queuedBytes());
        }
        socket.room = Long.MAX_VALUE;
        queue.writeTo(socket, gather);
        assertArrayEquals(expected.toByteArray(), socket.taken.toByteArray());
        assertTrue(futures.stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally()));
        assertTrue(queue.isEmpty());
        // Every stage went back: the next eight come from the pool, all direct.
        for (int i = 0; i < 8; i++) {
            assertTrue(stages.take().isDirect(), "stage " + i + " was given back");
        }
    }

    @Test
    void aWriteQueuedByACompletionLeavesInTheSameCall() throws IOException {
        CompletableFuture<Void> first = new CompletableFuture<>();
        ByteBuffer pong = bytes(4, 8);
        first.thenRun(() -> queue.add(pong, null, null));
        queue.add(bytes(6, 1), null, first);
        queue.writeTo(socket, gather);
        assertEquals(10, socket.taken.size());
        assertTrue(queue.isEmpty());
    }

    @Test
    void failingDropsEverythingAndFailsEachFuture() throws IOException {
        CompletableFuture<Void> f = new CompletableFuture<>();
        queue.add(bytes(2, 1), bytes(100, 2), f);
        socket.room = 0;
        queue.writeTo(socket, gather);
        IOException cause = new IOException("gone");
        queue.failAll(cause);
        assertTrue(f.isCompletedExceptionally());
        assertSame(cause, f.handle((ok, e) -> e).join());
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.queuedBytes());
    }

    @Test
    void theWatermarksTurnWritabilityOffAndOn() {
        WriteQueue small = new WriteQueue(stages, 100, 50);
        assertFalse(small.add(bytes(2, 1), bytes(90, 2), null));
        assertTrue(small.add(bytes(2, 1), bytes(20, 2), null), "past the high watermark");
        assertFalse(small.isWritable());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
