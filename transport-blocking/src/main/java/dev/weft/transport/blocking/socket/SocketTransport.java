package dev.weft.transport.blocking.socket;

import dev.weft.api.metrics.ConnectionMetrics;
import dev.weft.api.metrics.WebSocketMetrics;
import dev.weft.core.session.Scheduler;
import dev.weft.core.session.Transport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The writing half of a blocking connection, as its session sees it. The session queues frames
 * here while it holds its lock; they reach the socket outside that lock, under a write lock of
 * their own, written by whichever thread flushes first. A thread blocked in a socket write thus
 * never keeps the session from reading: two ends that both write more than the other has read
 * still read what arrives, and so unblock each other. A write that makes no progress for the write
 * timeout gets the connection aborted, which unblocks it. Whether reading is paused is kept here
 * for the reading thread to wait on.
 */
final class SocketTransport implements Transport {

    /** Frames queued together up to this size go out in one write, so TLS makes one record of them. */
    private static final int COALESCE_LIMIT = 16 * 1024;
    /** Past this much queued, the connection is not writable; it is again once the queue drains to the low mark. */
    private static final long HIGH_WATERMARK = 1 << 20;
    private static final long LOW_WATERMARK = 256 * 1024;

    /** Told what the session must hear from the writing threads; each is run holding the session's lock. */
    interface Owner {
        /** A write failed: the connection is lost. */
        void writeFailed(IOException cause);

        /** Bytes left the queue (for the memory budget). */
        void wrote();

        /** The queue drained to the low watermark after passing the high one. */
        void writable();

        /** Where the connection's events go; asked once the session exists. */
        ConnectionMetrics metrics();
    }

    private record Pending(ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
        long size() {
            return head.remaining() + (body == null ? 0 : body.remaining());
        }
    }

    private final Wire wire;
    private final WebSocketMetrics metrics;
    private final OutputStream out;
    private final SessionLock lock;
    private final Owner owner;
    private final Runnable wrote;
    private final Runnable writable;
    private final long writeTimeoutNanos;
    private final Scheduler.Timer watchdog;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();
    private final ReentrantLock pauseLock = new ReentrantLock();
    private final Condition resumed = pauseLock.newCondition();
    /** The futures of the frames gathered into one write; used under the write lock. */
    private final ArrayList<CompletableFuture<Void>> gathered = new ArrayList<>();
    private byte[] scratch = new byte[0];
    private volatile long queued;
    /** The most {@link #queued} ever was: the high-water mark. Written under the session's lock. */
    private volatile long peak;
    private volatile boolean aboveWatermark;
    private volatile long writingSince;
    private volatile boolean paused;
    private volatile boolean closeWhenFlushed;
    private volatile boolean closed;
    private volatile boolean timedOut;

    /** @param writeTimeout how long one write may block */
    SocketTransport(Wire wire, SessionLock lock, Timers timers, Duration writeTimeout, WebSocketMetrics metrics,
                    Owner owner) {
        this.wire = wire;
        this.metrics = metrics;
        this.out = wire.out();
        this.lock = lock;
        this.owner = owner;
        this.wrote = owner::wrote;
        this.writable = owner::writable;
        this.writeTimeoutNanos = writeTimeout.toNanos();
        this.watchdog = timers.every(this::checkWrite, Math.max(writeTimeoutNanos / 4, 1_000_000));
    }

    /** Queues the frame; it is written once the session's lock is let go (see {@link #flushIfFree}). */
    @Override
    public void write(Kind kind, ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
        if (closed || closeWhenFlushed) {
            failLater(written, new IOException("the connection is closed"));
            return;
        }
        // A control frame counts as written once queued, as on a loop that writes it at once: it goes
        // out before anything queued after it. So the pong of each ping in a read is its own, not
        // one pong pending for them all. The reading thread writes what a read queued unless another
        // thread is writing; a peer that floods pings and reads nothing blocks that write, and so
        // the reading, and what piles up behind another writer counts against the memory budget.
        boolean control = kind.isControl();
        Pending p = new Pending(head, body, control ? null : written);
        queue.add(p);
        queued += p.size(); // only under the session's lock: one adder at a time
        peak = Math.max(peak, queued);
        if (queued > HIGH_WATERMARK && !aboveWatermark) {
            aboveWatermark = true;
            owner.metrics().writeQueueFull(queued);
        }
        if (control && written != null) {
            written.complete(null);
        }
    }

    @Override
    public void close() {
        closeWhenFlushed = true; // by the next flush, after what is queued
    }

    /** Closes the socket now; what is queued fails by the next flush (a write under way fails at once). */
    @Override
    public void abort() {
        end();
    }

    @Override
    public long queuedBytes() {
        return queued;
    }

    @Override
    public boolean isWritable() {
        return !aboveWatermark;
    }

    @Override
    public void pauseReading(boolean paused) {
        this.paused = paused;
        if (!paused) {
            wakeReader();
        }
    }

    @Override
    public SocketAddress remoteAddress() {
        return wire.remoteAddress();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Writes what is queued, unless another thread is writing: that thread writes it too, so this
     * never waits for a peer that is slow to read. For the reading thread, timers and callers of the
     * asynchronous sends.
     */
    void flushIfFree() {
        if (writing.isHeldByCurrentThread()) {
            return; // a completion run while this thread writes: the write goes on after it
        }
        while (hasWork() && writing.tryLock()) {
            try {
                drain();
            } finally {
                writing.unlock();
            }
        }
    }

    /** Writes what is queued, waiting for a thread that is writing: a blocking send. */
    void flush() {
        if (!hasWork()) {
            return;
        }
        writing.lock();
        try {
            drain();
        } finally {
            writing.unlock();
        }
        flushIfFree(); // queued by others while this thread let go
    }

    /** Waits while reading is paused. Returns false if the connection closed meanwhile. */
    boolean awaitReadable() throws InterruptedException {
        if (!paused) {
            return !closed;
        }
        pauseLock.lock();
        try {
            while (paused && !closed) {
                resumed.await();
            }
        } finally {
            pauseLock.unlock();
        }
        return !closed;
    }

    private boolean hasWork() {
        return !queue.isEmpty() || closeWhenFlushed && !closed;
    }


    /** Holding the write lock: writes the queue out, gathering small frames into one write. */
    private void drain() {
        boolean any = false;
        for (Pending first; (first = queue.poll()) != null; ) {
            any = true;
            if (closed) {
                failLater(first.written(), new IOException("the connection is closed"));
                continue;
            }
            long size = first.size();
            try {
                writingSince = System.nanoTime();
                if (size > COALESCE_LIMIT) {
                    writeLarge(first);
                    completeLater(first.written());
                } else {
                    size = writeGathered(first);
                }
            } catch (IOException e) {
                failed(first, e);
                return;
            } finally {
                writingSince = 0;
            }
            queued -= size;
            metrics.bytesWritten(size);
            if (aboveWatermark && queued <= LOW_WATERMARK) {
                aboveWatermark = false;
                lock.execute(writable);
            }
        }
        if (any) {
            lock.execute(wrote);
        }
        if (closeWhenFlushed && queue.isEmpty()) {
            end();
        }
    }

    private void writeLarge(Pending p) throws IOException {
        writeBuffer(p.head());
        if (p.body() != null) {
            writeBuffer(p.body());
        }
    }

    /** Copies {@code first} and the small frames queued behind it into one write; returns their size. */
    private long writeGathered(Pending first) throws IOException {
        int n = 0;
        for (Pending p = first; ; p = queue.poll()) {
            if (scratch.length < n + p.size()) {
                scratch = Arrays.copyOf(scratch, (int) Math.max(n + p.size(), Math.min(COALESCE_LIMIT, 2L * scratch.length + 64)));
            }
            n += copy(p.head(), n);
            if (p.body() != null) {
                n += copy(p.body(), n);
            }
            if (p.written() != null) {
                gathered.add(p.written());
            }
            Pending next = queue.peek(); // only the writer takes from the queue, so this is what poll gives
            if (next == null || n + next.size() > COALESCE_LIMIT) {
                break;
            }
        }
        try {
            out.write(scratch, 0, n);
            gathered.forEach(this::completeLater);
        } catch (IOException e) {
            gathered.forEach(w -> failLater(w, e));
            throw e;
        } finally {
            gathered.clear();
        }
        return n;
    }

    private int copy(ByteBuffer b, int at) {
        int size = b.remaining();
        b.get(scratch, at, size);
        return size;
    }

    private void writeBuffer(ByteBuffer b) throws IOException {
        if (b.hasArray()) {
            out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
            b.position(b.limit());
            return;
        }
        byte[] chunk = new byte[Math.min(b.remaining(), COALESCE_LIMIT)];
        while (b.hasRemaining()) {
            int n = Math.min(chunk.length, b.remaining());
            b.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    private void failed(Pending p, IOException e) {
        IOException cause = timedOut ? timedOut(e) : e;
        end();
        failLater(p.written(), cause);
        for (Pending rest; (rest = queue.poll()) != null; ) {
            failLater(rest.written(), cause);
        }
        lock.execute(() -> owner.writeFailed(cause));
    }

    private void end() {
        if (closed) {
            return;
        }
        closed = true;
        watchdog.cancel();
        wire.close();
        owner.metrics().writeQueuePeak(peak);
        wakeReader();
    }

    private void wakeReader() {
        pauseLock.lock();
        try {
            resumed.signalAll();
        } finally {
            pauseLock.unlock();
        }
    }

    /** On the clock thread: a write blocked for too long is ended by closing the connection under it. */
    private void checkWrite() {
        long since = writingSince;
        if (since != 0 && System.nanoTime() - since > writeTimeoutNanos && !closed) {
            timedOut = true;
            end();
        }
    }

    private IOException timedOut(IOException cause) {
        IOException e = new SocketTimeoutException("the peer read nothing for " + Duration.ofNanos(writeTimeoutNanos)
                + " while " + queued + " bytes waited to be written");
        e.initCause(cause);
        return e;
    }

    // Completions run holding the session's lock, as a loop's would on its thread.
    private void completeLater(CompletableFuture<Void> written) {
        if (written != null) {
            lock.execute(() -> written.complete(null));
        }
    }

    private void failLater(CompletableFuture<Void> written, IOException cause) {
        if (written != null) {
            lock.execute(() -> written.completeExceptionally(cause));
        }
    }

}
