package dev.weft.cluster.redis;

import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.Frame;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeRequest;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A connection with no transport, for tests of rooms over Redis: it queues the text messages sent to
 * it, and is open throughout. Thread-safe.
 */
final class TextConnection implements Connection {

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final String name;

    TextConnection(String name) {
        this.name = name;
    }

    /** Waits for the next message sent to this connection; fails after {@code seconds}. */
    String next(long seconds) throws InterruptedException {
        String text = received.poll(seconds, TimeUnit.SECONDS);
        if (text == null) {
            throw new AssertionError(name + " received nothing in " + seconds + " s");
        }
        return text;
    }

    /** What was sent to it and not taken by {@link #next} yet. */
    List<String> pending() {
        return List.copyOf(received);
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence text) {
        received.add(text.toString());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public ConnectionState state() {
        return ConnectionState.OPEN;
    }

    @Override
    public List<ExtensionParameters> extensions() {
        return List.of();
    }

    @Override
    public long queuedBytes() {
        return 0;
    }

    @Override
    public long heldBytes() {
        return 0;
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public Optional<String> subprotocol() {
        return Optional.empty();
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        throw new UnsupportedOperationException("not used by the rooms tests");
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence part, boolean last) {
        throw new UnsupportedOperationException("not used by the rooms tests");
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer part, boolean last) {
        throw new UnsupportedOperationException("not used by the rooms tests");
    }

    @Override
    public CompletableFuture<Void> sendFrame(Frame frame) {
        throw new UnsupportedOperationException("not used by the rooms tests");
    }

    @Override
    public CompletableFuture<Void> ping(ByteBuffer data) {
        throw new UnsupportedOperationException("not used by the rooms tests");
    }

    @Override
    public CompletableFuture<Void> pong(ByteBuffer data) {
        throw new UnsupportedOperationException("not used by the rooms tests");
    }

    @Override
    public CompletableFuture<Void> close(int code, String reason) {
        throw new UnsupportedOperationException("not used by the rooms tests");
    }

    @Override
    public void abort() {
        throw new UnsupportedOperationException("not used by the rooms tests");
    }

    @Override
    public SocketAddress remoteAddress() {
        throw new UnsupportedOperationException("not used by the rooms tests");
    }

    @Override
    public HandshakeRequest handshakeRequest() {
        throw new UnsupportedOperationException("not used by the rooms tests");
    }

    @Override
    public ConcurrentMap<String, Object> attributes() {
        throw new UnsupportedOperationException("not used by the rooms tests");
    }

    @Override
    public void pauseReading() {
        throw new UnsupportedOperationException("not used by the rooms tests");
    }

    @Override
    public void resumeReading() {
        throw new UnsupportedOperationException("not used by the rooms tests");
    }

    @Override
    public String toString() {
        return name;
    }
}
