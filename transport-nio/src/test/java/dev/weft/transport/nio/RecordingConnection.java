package dev.weft.transport.nio;

import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.Frame;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeRequest;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A connection with no transport, for tests of {@link dev.weft.cluster.Rooms}: it records the text messages sent to
 * it (each is expected to be a number) and is open until a test says otherwise. Thread-safe.
 */
final class RecordingConnection implements Connection {

    final Set<Long> received = ConcurrentHashMap.newKeySet();
    volatile ConnectionState state = ConnectionState.OPEN;
    private final String name;

    RecordingConnection(String name) {
        this.name = name;
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence text) {
        received.add(Long.parseLong(text.toString()));
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
    public ConcurrentMap<String, Object> attributes() {
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
