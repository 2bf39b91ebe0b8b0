package dev.weft.transport.nio.loop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * A connection's bytes on their way to the socket, written with gathering writes, and the two
 * watermarks that tell the application to slow down: past the high one the connection is not
 * writable until the queue drains to the low one. Used on the loop thread; the figures are
 * readable from any thread.
 */
final class WriteQueue {

    private record Pending(ByteBuffer bytes, CompletableFuture<Void> written) {
    }

    // Small at first: most connections have a frame or two queued at a time, and idle ones none.
    private final ArrayDeque<Pending> queue = new ArrayDeque<>(4);
    private final long highWatermark;
    private final long lowWatermark;
    private volatile long queued;
    /** The most {@link #queued} ever was: the queue's high-water mark. */
    private long peak;
    private volatile boolean writable = true;

    WriteQueue(long highWatermark, long lowWatermark) {
        this.highWatermark = highWatermark;
        this.lowWatermark = lowWatermark;
    }

    boolean isEmpty() {
        return queue.isEmpty();
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
     * Queues {@code head}, then {@code body} if not null.
     *
     * @param written completed once both are written
     * @return whether this write took the queue past the high watermark
     */
    boolean add(ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
        long n = head.remaining() + (body == null ? 0 : body.remaining());
        if (body == null) {
            queue.add(new Pending(head, written));
        } else {
            queue.add(new Pending(head, null));
            queue.add(new Pending(body, written));
        }
        queued += n;
        peak = Math.max(peak, queued);
        if (writable && queued > highWatermark) {
            writable = false;
            return true;
        }
        return false;
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
        while (!queue.isEmpty()) {
            int k = 0;
            for (Pending p : queue) {
                if (k == gather.length) {
                    break;
                }
                gather[k++] = p.bytes();
            }
            long n;
            try {
                n = channel.write(gather, 0, k);
            } finally {
                Arrays.fill(gather, 0, k, null);
            }
            total += n;
            queued -= n;
            while (!queue.isEmpty() && !queue.peek().bytes().hasRemaining()) {
                Pending done = queue.poll();
                if (done.written() != null) {
                    done.written().complete(null);
                }
            }
            if (n == 0 && !queue.isEmpty() && queue.peek().bytes().hasRemaining()) {
                break; // the socket buffer is full: wait for OP_WRITE
            }
        }
        return total;
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
        for (Pending p; (p = queue.poll()) != null; ) {
            if (p.written() != null) {
                p.written().completeExceptionally(cause);
            }
        }
        queued = 0;
    }
}
