package dev.weft.testing;

import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.Frame;
import dev.weft.api.Message;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.HandshakeResponse;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection with no transport and no peer, for tests of code that sends whole messages to
 * connections it is given — rooms, broadcasts, an application's fan-out: it records every text and
 * binary message sent to it, in order, and is open until {@link #close} or {@link #abort}. Sending
 * in parts, frames, pings and pongs are refused ({@link UnsupportedOperationException}), as are the
 * views of a handshake it never had. Thread-safe.
 */
public final class DetachedConnection implements Connection {

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<Message> received = new ArrayList<>(); // guarded by lock
    private int taken; // guarded by lock: how many next() has handed out
    private final ConcurrentMap<String, Object> attributes = new ConcurrentHashMap<>();
    private volatile ConnectionState state = ConnectionState.OPEN;

    /** @param name what {@link #toString()} says, for assertion messages */
    public DetachedConnection(String name) {
        this.name = name;
    }

    /** Every message sent to it so far, in order (a copy). */
    public List<Message> received() {
        lock.lock();
        try {
            return List.copyOf(received);
        } finally {
            lock.unlock();
        }
    }

    /** The text messages sent to it so far, in order. */
    public List<String> texts() {
        return received().stream().filter(m -> m instanceof Message.Text).map(m -> ((Message.Text) m).text()).toList();
    }

    /** The messages {@link #next} has not handed out yet (a copy). */
    public List<Message> pending() {
        lock.lock();
        try {
            return List.copyOf(received.subList(taken, received.size()));
        } finally {
            lock.unlock();
        }
    }

    /** How many messages were sent to it so far. */
    public int count() {
        lock.lock();
        try {
            return received.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next message {@code next} has not handed out yet, waiting up to {@code timeout} for it.
     *
     * @throws AssertionError if none arrives in time
     */
    public Message next(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (taken == received.size()) {
                if (nanos <= 0) {
                    throw new AssertionError(name + " received nothing more in " + timeout);
                }
                nanos = arrived.awaitNanos(nanos);
            }
            return received.get(taken++);
        } finally {
            lock.unlock();
        }
    }

    /** The text of the {@link #next} message, which must be text. */
    public String nextText(Duration timeout) throws InterruptedException {
        Message m = next(timeout);
        if (m instanceof Message.Text t) {
            return t.text();
        }
        throw new AssertionError(name + " received a binary message, not text");
    }

    private CompletableFuture<Void> record(Message message) {
        lock.lock();
        try {
            received.add(message);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence text) {
        return record(Message.text(text.toString()));
    }

    /** Records a copy of {@code data}'s bytes: the caller may reuse its buffer. */
    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        return record(Message.binary(ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip()));
    }

    @Override
    public ConnectionState state() {
        return state;
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
    public List<ExtensionParameters> extensions() {
        return List.of();
    }

    @Override
    public Optional<String> subprotocol() {
        return Optional.empty();
    }

    @Override
    public ConcurrentMap<String, Object> attributes() {
        return attributes;
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
    public CompletableFuture<Void> sendText(CharSequence part, boolean last) {
        throw refused("sends in parts");
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer part, boolean last) {
        throw refused("sends in parts");
    }

    @Override
    public CompletableFuture<Void> sendFrame(Frame frame) {
        throw refused("frames");
    }

    @Override
    public CompletableFuture<Void> ping(ByteBuffer data) {
        throw refused("pings");
    }

    @Override
    public CompletableFuture<Void> pong(ByteBuffer data) {
        throw refused("pongs");
    }

    @Override
    public SocketAddress remoteAddress() {
        throw refused("a remote address");
    }

    @Override
    public HandshakeRequest handshakeRequest() {
        throw refused("a handshake");
    }

    @Override
    public HandshakeResponse handshakeResponse() {
        throw refused("a handshake");
    }

    private UnsupportedOperationException refused(String what) {
        return new UnsupportedOperationException(name + " is detached: it has no " + what);
    }

    @Override
    public String toString() {
        return name;
    }
}
