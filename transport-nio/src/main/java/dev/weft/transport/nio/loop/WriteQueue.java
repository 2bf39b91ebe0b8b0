package dev.weft.transport.nio.loop;

import dev.weft.core.frame.FrameEncoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * A connection's bytes on their way to the socket, and the two watermarks that tell the
 * application to slow down: past the high one the connection is not writable until the queue drains
 * to the low one. Used on the loop thread; the figures are readable from any thread.
 *
 * <p>Small writes (frame headers, small payloads, up to {@link #COPY_LIMIT} bytes each) are copied
 * into a stage the loop lends, so that a batch of frames leaves in one run with one system call;
 * larger ones, and direct buffers, are written from where they are in the same gathering write.
 * Queuing allocates nothing: the stage and the bookkeeping ({@link WriteRing}) are borrowed with the
 * first queued write and given back once the queue is empty. When the socket stops taking bytes, the
 * staged bytes move to a buffer of their own size and the stage goes back, so a connection waiting
 * on a slow peer holds what it queued and no more.
 */
final class WriteQueue {

    /** Heap buffers up to this size are copied into a stage; the JDK would copy them to write them anyway. */
    static final int COPY_LIMIT = 4 * 1024;

    private final Stages lender;
    private final long highWatermark;
    private final long lowWatermark;
    /** Borrowed while something is queued; null while the queue is empty. */
    private WriteRing ring;
    /** Whether the ring's last buffer is a stage that takes more bytes. */
    private boolean stageOpen;
    /** Bytes ever queued, and bytes ever written: where each write ends is counted in these. */
    private long added;
    private long written;
    private volatile long queued;
    /** The most {@link #queued} ever was: the queue's high-water mark. */
    private long peak;
    private volatile boolean writable = true;

    WriteQueue(Stages lender, long highWatermark, long lowWatermark) {
        this.lender = lender;
        this.highWatermark = highWatermark;
        this.lowWatermark = lowWatermark;
    }

    boolean isEmpty() {
        return ring == null;
    }

    /** Bytes queued and not yet written. */
    long queuedBytes() {
        return queued;
    }

    /** The most bytes ever queued at once. On the loop thread. */
    long peakBytes() {
        return peak;
    }

    /** Whether the queue has stayed below the high watermark, or drained to the low one since. */
    boolean isWritable() {
        return writable;
    }

    /**
     * Queues {@code head}, then {@code body} if not null; either may be consumed at once.
     *
     * @param written completed once both are written; may be null
     * @return whether this write took the queue past the high watermark
     */
    boolean add(ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
        if (ring == null) {
            ring = lender.takeRing();
        }
        long n = append(head);
        if (body != null) {
            n += append(body);
        }
        return added(n, written);
    }

    /** Counts {@code n} more bytes queued, the last of a write whose future is {@code written}. */
    private boolean added(long n, CompletableFuture<Void> written) {
        added += n;
        if (written != null) {
            ring.addFuture(added, written);
        }
        queued = added - this.written;
        peak = Math.max(peak, queued);
        if (writable && queued > highWatermark) {
            writable = false;
            return true;
        }
        return false;
    }

    /**
     * Queues an unmasked frame: its header, written straight into a stage, then {@code body}.
     *
     * @param written completed once the frame is written; may be null
     * @return whether this write took the queue past the high watermark
     */
    boolean addFrame(int firstByte, ByteBuffer body, CompletableFuture<Void> written) {
        if (ring == null) {
            ring = lender.takeRing();
        }
        int length = body.remaining();
        int headerLength = FrameEncoder.headerLength(length);
        ByteBuffer stage = stageWithRoom(headerLength);
        int at = stage.limit();
        stage.limit(at + headerLength);
        FrameEncoder.putHeader(stage, at, firstByte, length);
        return added(headerLength + append(body), written);
    }

    private int append(ByteBuffer bytes) {
        int n = bytes.remaining();
        if (n == 0) {
            return 0;
        }
        if (bytes.isDirect() || n > COPY_LIMIT) {
            ring.add(bytes, false);
            stageOpen = false;
            return n;
        }
        ByteBuffer stage = stageWithRoom(n);
        int at = stage.limit();
        stage.limit(at + n);
        stage.put(at, bytes, bytes.position(), n);
        bytes.position(bytes.limit());
        return n;
    }

    /** The open stage if it has room for {@code n} more bytes, else a new one. */
    private ByteBuffer stageWithRoom(int n) {
        ByteBuffer stage = stageOpen ? ring.buffer(ring.size() - 1) : null;
        if (stage == null || stage.capacity() - stage.limit() < n) {
            stage = lender.take();
            ring.add(stage, true);
            stageOpen = true;
        }
        return stage;
    }

    /**
     * Writes as much as {@code channel} takes now, completing the future of each write that has
     * left. Completing one may queue more (an automatic pong), which is written in the same call.
     *
     * @param gather a scratch array for the gathering writes
     * @return the bytes written
     */
    long writeTo(GatheringByteChannel channel, ByteBuffer[] gather) throws IOException {
        long total = 0;
        while (ring != null) {
            int k = ring.fill(gather);
            long n = 0;
            if (k > 0) {
                try {
                    n = k == 1 ? channel.write(gather[0]) : channel.write(gather, 0, k);
                } finally {
                    Arrays.fill(gather, 0, k, null);
                }
            }
            total += n;
            written += n;
            queued = added - written;
            dropWritten();
            completeWritten();
            if (ring != null && ring.isEmpty()) {
                lender.give(ring);
                ring = null;
                stageOpen = false;
            }
            if (ring != null && n == 0 && k > 0) {
                settle(); // the socket buffer is full: wait for OP_WRITE
                break;
            }
        }
        return total;
    }

    private void dropWritten() {
        while (ring.size() > 0 && !ring.buffer(0).hasRemaining()) {
            if (ring.isStage(0)) {
                lender.give(ring.buffer(0));
                stageOpen &= ring.size() > 1;
            }
            ring.poll();
        }
    }

    private void completeWritten() {
        CompletableFuture<Void> done;
        while (ring != null && (done = ring.pollFuture(written)) != null) {
            done.complete(null);
        }
    }

    /** Moves staged bytes to buffers of their own size and gives the stages back. */
    private void settle() {
        for (int i = 0; i < ring.size(); i++) {
            if (ring.isStage(i)) {
                ByteBuffer stage = ring.buffer(i);
                ring.replace(i, ByteBuffer.allocate(stage.remaining()).put(stage).flip(), false);
                lender.give(stage);
            }
        }
        stageOpen = false;
    }

    /** Whether the queue drained to the low watermark after passing the high one: writable again. */
    boolean drained() {
        if (!writable && queued <= lowWatermark) {
            writable = true;
            return true;
        }
        return false;
    }

    /** Drops everything queued; each waiting future fails with {@code cause}. */
    void failAll(Throwable cause) {
        WriteRing dropped = ring;
        if (dropped == null) {
            return;
        }
        ring = null;
        stageOpen = false;
        written = added;
        queued = 0;
        for (; dropped.size() > 0; dropped.poll()) {
            if (dropped.isStage(0)) {
                lender.give(dropped.buffer(0));
            }
        }
        for (CompletableFuture<Void> f; (f = dropped.pollFuture(Long.MAX_VALUE)) != null; ) {
            f.completeExceptionally(cause);
        }
        lender.give(dropped);
    }
}
