package dev.weft.benchmarks.support;

import dev.weft.core.frame.FrameEncoder;
import dev.weft.core.session.Transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A transport whose socket takes every byte at once: each write is consumed, counted and completed
 * on the spot, as a transport does once its socket has taken the bytes. Not thread-safe, like a
 * loop's write path.
 */
public final class DiscardingSink implements Transport {

    private static final SocketAddress PEER = InetSocketAddress.createUnresolved("127.0.0.1", 40000);

    private final ByteBuffer headerScratch = ByteBuffer.allocate(14);
    private long frames;
    private long bytes;
    private boolean closed;

    @Override
    public void write(Kind kind, ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
        frames++;
        bytes += consume(head) + (body == null ? 0 : consume(body));
        if (written != null) {
            written.complete(null);
        }
    }

    /** Writes the header into memory of its own, as the NIO transport does into its stage. */
    @Override
    public void writeFrame(Kind kind, int firstByte, ByteBuffer body, CompletableFuture<Void> written) {
        frames++;
        bytes += FrameEncoder.putHeader(headerScratch, 0, firstByte, body.remaining()) + consume(body);
        if (written != null) {
            written.complete(null);
        }
    }

    private static int consume(ByteBuffer buffer) {
        int n = buffer.remaining();
        buffer.position(buffer.limit());
        return n;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public void abort() {
        closed = true;
    }

    @Override
    public long queuedBytes() {
        return 0;
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
        return PEER;
    }

    /** Frames written so far. */
    public long frames() {
        return frames;
    }

    /** Bytes written so far, headers included. */
    public long bytes() {
        return bytes;
    }

    /** Whether the session closed or aborted the connection. */
    public boolean closed() {
        return closed;
    }
}
