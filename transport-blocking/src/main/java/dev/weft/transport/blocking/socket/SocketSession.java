package dev.weft.transport.blocking.socket;

import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.metrics.ConnectionMetrics;
import dev.weft.api.metrics.WebSocketMetrics;
import dev.weft.core.handshake.Agreement;
import dev.weft.core.session.Session;
import dev.weft.core.session.SessionOptions;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * One WebSocket connection over a {@link Wire}, after its opening handshake: the engine's
 * {@link Session}, the lock it runs under and the transport it writes to, and the reading that
 * feeds it. Whoever reads calls {@link #readOnce} (a receive call) or {@link #readUntilClosed} (a
 * server's or client's connection thread). Neither reads nor writes happen under the lock, so a
 * sender or a timer is never kept waiting by a read, and a reader never by a blocked write.
 */
public final class SocketSession {

    private final Wire wire;
    private final WebSocketMetrics metrics;
    private final SessionLock lock;
    private final SocketTransport transport;
    private final Session session;
    private final ReadBuffer buffer = new ReadBuffer();
    private boolean inputEnded;

    private SocketSession(Role role, WebSocketConfig config, Agreement agreement, WebSocketHandler handler, Wire wire,
                          SessionOptions options, Duration writeTimeout) {
        this.wire = wire;
        this.metrics = options.metrics();
        this.lock = new SessionLock(Timers.shared(), this::writeQueued);
        this.transport = new SocketTransport(wire, lock, Timers.shared(), writeTimeout, metrics, new SocketTransport.Owner() {
            @Override
            public void writeFailed(IOException cause) {
                if (!isClosed()) {
                    session.transportFailed(cause);
                }
            }

            @Override
            public void wrote() {
                session.accountMemory();
            }

            @Override
            public void writable() {
                session.metrics().writeQueueDrained();
                session.writable();
            }

            @Override
            public ConnectionMetrics metrics() {
                return session.metrics();
            }
        });
        this.session = new Session(role, config, agreement, handler, transport, lock, options);
    }

    /**
     * A session over {@code wire}, not started yet: a server registers its connection before the
     * client can see the 101, so that a shutdown or a broadcast that follows always includes it.
     *
     * @param writeTimeout how long one write may block before the connection is aborted
     */
    public static SocketSession over(Role role, WebSocketConfig config, Agreement agreement, WebSocketHandler handler,
                                     Wire wire, SessionOptions options, Duration writeTimeout) {
        return new SocketSession(role, config, agreement, handler, wire, options, writeTimeout);
    }

    /** A session over {@code wire}, {@linkplain #start started}. */
    public static SocketSession open(Role role, WebSocketConfig config, Agreement agreement, WebSocketHandler handler,
                                     Wire wire, SessionOptions options, Duration writeTimeout, ByteBuffer response,
                                     ByteBuffer leftover) {
        return over(role, config, agreement, handler, wire, options, writeTimeout).start(response, leftover);
    }

    /**
     * Starts the session: writes {@code response} (a server's 101, or null), calls {@code onOpen},
     * then decodes {@code leftover}, the bytes that came after the handshake's head.
     */
    public SocketSession start(ByteBuffer response, ByteBuffer leftover) {
        lock.run(() -> {
            session.start(response);
            if (leftover.hasRemaining()) {
                session.receive(leftover);
            }
        });
        return this;
    }

    /** What the application holds: safe from any thread. */
    public Connection connection() {
        return session.connection();
    }

    /** Whether the connection has closed (the engine's state, from any thread). */
    public boolean isClosed() {
        return session.connection().state() == ConnectionState.CLOSED;
    }

    /** Whether reads can time out: a socket can, a stream pair cannot. */
    public boolean hasReadTimeouts() {
        return wire.hasReadTimeouts();
    }

    /**
     * Reads what the peer sent and feeds it to the session, whose callbacks run on this thread.
     * Waits first while reading is paused.
     *
     * @param timeoutMillis how long to wait for bytes; zero for as long as it takes
     * @return false once nothing more will be read: the connection ended or closed
     * @throws SocketTimeoutException if nothing arrived in time; the connection is unchanged
     * @throws InterruptedIOException if the thread was interrupted while reading was paused
     */
    public boolean readOnce(int timeoutMillis) throws SocketTimeoutException, InterruptedIOException {
        if (inputEnded) {
            return false;
        }
        try {
            if (!transport.awaitReadable()) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading was paused");
        }
        ByteBuffer in = buffer.forRead();
        int n;
        try {
            wire.readTimeout(timeoutMillis);
            n = wire.in().read(in.array(), 0, in.capacity());
        } catch (SocketTimeoutException e) {
            if (transport.isClosed()) {
                return false;
            }
            throw e;
        } catch (IOException e) {
            inputEnded = true;
            if (!transport.isClosed()) {
                lock.run(() -> session.transportFailed(e));
            }
            return false;
        }
        if (n < 0) {
            inputEnded = true;
            lock.run(session::endOfInput);
            return false;
        }
        metrics.bytesRead(n);
        in.limit(n);
        lock.run(() -> session.receive(in));
        buffer.afterRead(n);
        return !transport.isClosed();
    }

    /** Reads and feeds until the connection closes. */
    public void readUntilClosed() {
        try {
            while (readOnce(0)) {
                // each read's callbacks ran in it
            }
        } catch (IOException e) {
            // Interrupted while paused: the connection cannot be read any more, so it ends.
            lock.run(() -> session.transportFailed(e));
        }
    }

    /** Runs {@code task} under the session's lock, waiting for it. */
    public void runLocked(Runnable task) {
        lock.run(task);
    }

    /**
     * Writes what the session has queued, waiting for another thread that is writing: what a
     * blocking send does after queueing its frame. Does nothing for a thread that holds the lock
     * (a handler callback): the frame is written when it lets go.
     */
    public void flush() {
        if (!lock.inEventLoop()) {
            transport.flush();
        }
    }

    /** Ends the connection at once, without a close frame (the handler sees 1006). */
    public void abort() {
        session.connection().abort();
    }

    /** Whether the calling thread runs the session now: a handler callback. */
    public boolean inCallback() {
        return lock.inEventLoop();
    }

    private void writeQueued() {
        transport.flushIfFree();
    }

    @Override
    public String toString() {
        return session.toString();
    }
}
