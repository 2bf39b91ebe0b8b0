package dev.weft.transport.blocking.socket;

import dev.weft.core.session.Scheduler;
import dev.weft.core.session.Transport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The writing half of a blocking connection, as its session sees it. There is no write queue: the
 * thread that holds the session's lock writes each frame to the socket then and there, and blocks
 * while the peer does not read. A write that makes no progress for the write timeout gets the
 * connection aborted, which unblocks it. Whether reading is paused is kept here for the reading
 * thread to wait on.
 */
final class SocketTransport implements Transport {

    /** Frames up to this size go out in one write with their header, so TLS makes one record. */
    private static final int COALESCE_LIMIT = 8192;

    private final Wire wire;
    private final OutputStream out;
    private final SessionLock lock;
    private final Consumer<IOException> writeFailed;
    private final long writeTimeoutNanos;
    private final Scheduler.Timer watchdog;
    private final ReentrantLock pauseLock = new ReentrantLock();
    private final Condition resumed = pauseLock.newCondition();
    private byte[] scratch = new byte[0];
    private volatile long writingSince;
    private volatile long writing;
    private volatile boolean paused;
    private volatile boolean closed;
    private volatile boolean timedOut;

    /**
     * @param writeFailed told (holding the lock, after the task that wrote) when a write fails
     * @param writeTimeout how long one write may block
     */
    SocketTransport(Wire wire, SessionLock lock, Timers timers, Duration writeTimeout, Consumer<IOException> writeFailed) {
        this.wire = wire;
        this.out = wire.out();
        this.lock = lock;
        this.writeFailed = writeFailed;
        this.writeTimeoutNanos = writeTimeout.toNanos();
        this.watchdog = timers.every(this::checkWrite, Math.max(writeTimeoutNanos / 4, 1_000_000));
    }

    @Override
    public void write(Kind kind, ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
        if (closed) {
            failLater(written, new IOException("the connection is closed"));
            return;
        }
        long bytes = head.remaining() + (body == null ? 0 : body.remaining());
        writing = bytes;
        writingSince = System.nanoTime();
        try {
            if (body == null || bytes <= COALESCE_LIMIT) {
                writeAll(head, body);
            } else {
                writeAll(head, null);
                writeAll(body, null);
            }
            out.flush();
        } catch (IOException e) {
            IOException cause = timedOut ? timedOut(e) : e;
            abort();
            failLater(written, cause);
            lock.execute(() -> writeFailed.accept(cause));
            return;
        } finally {
            writingSince = 0;
            writing = 0;
        }
        if (written != null) {
            lock.execute(() -> written.complete(null)); // after the task that wrote, as a loop would
        }
    }

    @Override
    public void close() {
        end();
    }

    @Override
    public void abort() {
        end();
    }

    @Override
    public long queuedBytes() {
        return writing;
    }

    /** Always: a blocking write waits instead of queueing, so the queue never passes a watermark. */
    @Override
    public boolean isWritable() {
        return true;
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

    private void end() {
        if (closed) {
            return;
        }
        closed = true;
        watchdog.cancel();
        wire.close();
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

    private void writeAll(ByteBuffer head, ByteBuffer body) throws IOException {
        int n = head.remaining() + (body == null ? 0 : body.remaining());
        if (body == null && head.hasArray()) {
            out.write(head.array(), head.arrayOffset() + head.position(), n);
            head.position(head.limit());
            return;
        }
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, Math.min(COALESCE_LIMIT, 2 * scratch.length))];
        }
        head.get(scratch, 0, head.remaining());
        if (body != null) {
            body.get(scratch, n - body.remaining(), body.remaining());
        }
        out.write(scratch, 0, n);
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
        IOException e = new SocketTimeoutException("the peer read nothing for "
                + Duration.ofNanos(writeTimeoutNanos) + " while " + writing + " bytes waited to be written");
        e.initCause(cause);
        return e;
    }

    private void failLater(CompletableFuture<Void> written, IOException cause) {
        if (written != null) {
            lock.execute(() -> written.completeExceptionally(cause));
        }
    }
}
