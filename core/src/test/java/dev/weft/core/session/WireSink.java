package dev.weft.core.session;

import dev.weft.api.Opcode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The transport of the session fuzz targets: keeps what the session writes, and completes the
 * writes only when told to ({@link #flush}), as a socket that drains between reads would. Checks
 * that nothing is written once the transport is closed, and that at most one automatic pong waits
 * to be written at a time (the session answers a ping flood with the latest ping only).
 */
final class WireSink implements Transport {

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final List<CompletableFuture<Void>> pending = new ArrayList<>();
    private final List<String> violations;
    private CompletableFuture<Void> pendingPong;
    private long queued;
    private boolean closed;
    private boolean aborted;

    /** @param violations where broken rules are recorded */
    WireSink(List<String> violations) {
        this.violations = violations;
    }

    @Override
    public void write(Kind kind, ByteBuffer head, ByteBuffer body, CompletableFuture<Void> done) {
        if (closed || aborted) {
            violations.add("a write after the transport was " + (closed ? "closed" : "aborted"));
        }
        int opcode = head.get(head.position()) & 0x0F;
        if (opcode == Opcode.PONG.code()) {
            if (pendingPong != null && !pendingPong.isDone()) {
                violations.add("a second pong queued while one is still waiting to be written");
            }
            pendingPong = done;
        }
        queued += head.remaining() + (body == null ? 0 : body.remaining());
        written.writeBytes(bytes(head));
        if (body != null) {
            written.writeBytes(bytes(body));
        }
        if (done != null) {
            pending.add(done);
        }
    }

    /** The writes so far have reached the peer: completes them, in order. */
    void flush() {
        queued = 0;
        // A completion may queue another write (the next pong), which waits for the next flush.
        List<CompletableFuture<Void>> now = new ArrayList<>(pending);
        pending.clear();
        for (CompletableFuture<Void> f : now) {
            f.complete(null);
        }
    }

    /** The bytes written since the last call. */
    byte[] take() {
        byte[] b = written.toByteArray();
        written.reset();
        return b;
    }

    boolean closedOrAborted() {
        return closed || aborted;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public void abort() {
        aborted = true;
        for (CompletableFuture<Void> f : pending) {
            f.completeExceptionally(new IOException("aborted"));
        }
        pending.clear();
        queued = 0;
    }

    @Override
    public long queuedBytes() {
        return queued;
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public void pauseReading(boolean paused) {
    }

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(b.position(), out);
        return out;
    }
}
