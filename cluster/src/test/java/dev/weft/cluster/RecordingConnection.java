package dev.weft.cluster;

import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.Frame;
import dev.weft.api.Message;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeRequest;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A connection with no transport, for tests of {@link Rooms}: it records every whole message sent
 * to it, in order, and is open until a test says otherwise. Thread-safe.
 */
final class RecordingConnection implements Connection {

    private final List<Message> received = new ArrayList<>();
    private final ConcurrentMap<String, Object> attributes = new ConcurrentHashMap<>();
    private final String name;
    volatile ConnectionState state = ConnectionState.OPEN;

    RecordingConnection(String name) {
        this.name = name;
    }

    /** What it was sent so far (a copy). */
    synchronized List<Message> received() {
        return List.copyOf(received);
    }

    /** The text messages it was sent so far, in order. */
    synchronized List<String> texts() {
        return received.stream().filter(m -> m instanceof Message.Text).map(m -> ((Message.Text) m).text()).toList();
    }

    synchronized int count() {
        return received.size();
    }

    @Override
    public synchronized CompletableFuture<Void> sendText(CharSequence text) {
        received.add(Message.text(text.toString()));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> sendBinary(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
        received.add(Message.binary(copy));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public ConnectionState state() {
        return state;
    }

    @Override
    public List<ExtensionParameters> extensions() {
        return List.of();
    }

    @Override
    public ConcurrentMap<String, Object> attributes() {
        return attributes;
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence part, boolean last) {
        throw new UnsupportedOperationException("rooms send whole messages");
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer part, boolean last) {
        throw new UnsupportedOperationException("rooms send whole messages");
    }

    @Override
    public CompletableFuture<Void> sendFrame(Frame frame) {
        throw new UnsupportedOperationException("rooms send whole messages");
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
        state = ConnectionState.CLOSED;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void abort() {
        state = ConnectionState.CLOSED;
    }

    @Override
    public Optional<String> subprotocol() {
        return Optional.empty();
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
    public void pauseReading() {
    }

    @Override
    public void resumeReading() {
    }

    @Override
    public String toString() {
        return name;
    }
}
