package dev.weft.testing;

import dev.weft.core.session.Transport;
import dev.weft.testing.loop.ManualScheduler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * One end of an in-memory byte pipe, and the {@link Transport} of whatever writes there. Bytes
 * written here wait in an outbox until {@link #deliver} hands them to the other end's reader, so
 * nothing is re-entered: a session that answers a message never runs inside the call that sent it.
 * Used on the scheduler's thread only.
 */
final class MemoryEnd implements Transport {

    /** What reads the bytes that arrive at an end. */
    interface Reader {
        void onBytes(ByteBuffer bytes);

        void onEndOfInput();
    }

    private record Pending(ByteBuffer bytes, CompletableFuture<Void> written) {
    }

    private final SocketAddress address;
    private final ArrayDeque<Pending> outbox = new ArrayDeque<>();
    private MemoryEnd peer;
    private Reader reader;
    private volatile long queued;
    private boolean closing;
    private boolean aborted;
    private boolean outputShut;
    private boolean readingPaused;
    private boolean endSent;
    private boolean inputEnded;

    MemoryEnd(int port) {
        this.address = new InetSocketAddress("127.0.0.1", port);
    }

    static void connect(MemoryEnd a, MemoryEnd b) {
        a.peer = b;
        b.peer = a;
    }

    /** Runs tasks and delivers bytes both ways between two connected ends until nothing moves. */
    static void pump(ManualScheduler scheduler, MemoryEnd a, MemoryEnd b) {
        boolean moved;
        do {
            moved = scheduler.runPending();
            moved |= a.deliver();
            moved |= b.deliver();
        } while (moved);
    }

    void reader(Reader reader) {
        this.reader = reader;
    }

    @Override
    public void write(Kind kind, ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
        if (closing || aborted) {
            if (written != null) {
                written.completeExceptionally(new IOException("the connection is closed"));
            }
            return;
        }
        int n = head.remaining() + (body == null ? 0 : body.remaining());
        ByteBuffer copy = ByteBuffer.allocate(n).put(head);
        if (body != null) {
            copy.put(body);
        }
        outbox.add(new Pending(copy.flip(), written));
        queued += n;
    }

    @Override
    public void close() {
        closing = true;
    }

    @Override
    public void abort() {
        aborted = true;
        for (Pending p; (p = outbox.poll()) != null; ) {
            if (p.written() != null) {
                p.written().completeExceptionally(new IOException("the connection was aborted"));
            }
        }
        queued = 0;
    }

    @Override
    public long queuedBytes() {
        return queued;
    }

    /** The in-memory pipe has no watermarks: it is always writable. */
    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public void pauseReading(boolean paused) {
        this.readingPaused = paused;
    }

    @Override
    public SocketAddress remoteAddress() {
        return peer.address;
    }

    /** Half-closes: the other end sees the end of input once the outbox is delivered; this end still reads. */
    void shutdownOutput() {
        outputShut = true;
    }

    /** Whether this end has closed or aborted its side. */
    boolean isClosed() {
        return closing || aborted;
    }

    /**
     * Hands the outbox to the other end, then the end of input once this end is closed and empty.
     *
     * @return whether anything moved
     */
    boolean deliver() {
        boolean moved = false;
        for (Pending p; !peer.readingPaused && (p = outbox.poll()) != null; ) {
            queued -= p.bytes().remaining();
            peer.receive(p.bytes());
            if (p.written() != null) {
                p.written().complete(null);
            }
            moved = true;
        }
        if ((closing || aborted || outputShut) && !endSent && outbox.isEmpty()) {
            endSent = true;
            peer.endOfInput();
            moved = true;
        }
        return moved;
    }

    private void receive(ByteBuffer bytes) {
        // A closed socket reads nothing more.
        if (!isClosed() && !inputEnded && reader != null) {
            reader.onBytes(bytes);
        }
    }

    private void endOfInput() {
        if (!inputEnded) {
            inputEnded = true;
            if (reader != null && !aborted) {
                reader.onEndOfInput();
            }
        }
    }
}
