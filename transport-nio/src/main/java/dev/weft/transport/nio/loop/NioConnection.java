package dev.weft.transport.nio.loop;

import dev.weft.api.CloseCodes;
import dev.weft.api.metrics.WebSocketMetrics;
import dev.weft.core.frame.FrameEncoder;
import dev.weft.core.session.Session;
import dev.weft.core.session.Transport;
import dev.weft.transport.nio.NetworkLayer;
import dev.weft.transport.nio.OverflowPolicy;
import dev.weft.transport.nio.TransportConfig;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * One TCP connection on one {@link EventLoop}: reads into the loop's shared buffer and hands the
 * bytes up through its {@link NetworkLayer} to its {@link Opening} (the opening handshake), then,
 * once {@link #upgraded}, to its session; queues writes in a {@link WriteQueue} and sends them
 * with gathering writes, asking for {@code OP_WRITE} only while something is queued. Used on its
 * loop thread only, except for the figures documented as readable from anywhere.
 *
 * <h2>Backpressure</h2>
 * Above the high watermark the connection is not writable and (by default) stops reading, so a peer
 * that sends faster than it reads is slowed down by TCP itself; below the low watermark it is
 * writable again and the handler is told. Past the maximum, the overflow policy closes or aborts,
 * and further data frames are refused, so memory stays bounded whatever the peer does.
 */
public final class NioConnection implements Transport, EventLoop.Ready {

    private static final System.Logger LOG = System.getLogger(NioConnection.class.getName());
    private static final int MAX_READS_PER_WAKEUP = 16;

    /** What drives a connection through its opening handshake; the session drives it after. */
    public interface Opening {
        /** A client's TCP connect completed; the network layer opens next. */
        default void connected() {
        }

        /** The network layer is ready for protocol bytes (a TLS handshake, if any, is done). */
        default void applicationOpen() {
        }

        /** Bytes from the peer, from position to limit; consume them all (the buffer is reused). */
        void onBytes(ByteBuffer bytes);

        /** The peer closed its side. */
        void onEndOfInput();

        /** The connection failed (reset, broken pipe); it is already closed. */
        void onFailure(IOException cause);
    }

    private final EventLoop loop;
    private final SocketChannel channel;
    private final TransportConfig config;
    private final WebSocketMetrics metrics;
    private final SocketAddress remote;
    private final NetworkLayer layer;
    /** What drives the opening handshake; let go of once it is over. */
    private Opening opening;
    private final Consumer<NioConnection> onClosed;
    private final WriteQueue queue;
    private final Network network = new Network();
    private SelectionKey key;
    /** Set once the opening handshake made one: input goes to it from then on. */
    private Session session;

    private boolean userPaused;
    private boolean backpressurePaused;
    private boolean inputEnded;
    private boolean flushing;
    /**
     * Set while the bytes of one read are processed: what they make the session send (echoes,
     * pongs) is queued and written together after them, in one gathering write rather than one
     * per frame.
     */
    private boolean reading;
    /** Set while a control frame is handed to the layer: it is written at once, even mid-read. */
    private boolean urgent;
    /** The protocol is done sending (its close went to the layer); no more protocol bytes. */
    private boolean applicationClosed;
    /** Close the socket once the network queue is written. */
    private boolean closeRequested;
    private boolean closed;
    private boolean overflowing;

    /**
     * @param opening makes what drives the opening handshake, given this connection
     * @param onClosed runs once, when the channel closes
     */
    public NioConnection(EventLoop loop, SocketChannel channel, TransportConfig config, WebSocketMetrics metrics,
                         SocketAddress remote, NetworkLayer layer, Function<NioConnection, Opening> opening,
                         Consumer<NioConnection> onClosed) {
        this.loop = loop;
        this.channel = channel;
        this.config = config;
        this.metrics = metrics;
        this.remote = remote;
        this.layer = layer;
        this.queue = new WriteQueue(loop.stages(), config.highWatermark(), config.lowWatermark());
        this.onClosed = onClosed;
        this.opening = opening.apply(this);
    }

    public EventLoop loop() {
        return loop;
    }

    /** Registers with the loop's selector for {@code ops}. On the loop thread. */
    public void register(int ops) throws IOException {
        key = loop.register(channel, ops, this);
    }

    /** The TCP connection is up: opens the layer. On the loop thread, after {@link #register}. */
    public void open() {
        layer.open(network);
    }

    /** The opening handshake is over: from now on input goes to {@code upgraded}, and the queue's draining is told to it. */
    public void upgraded(Session upgraded) {
        this.session = upgraded;
        this.opening = null; // its parser and buffers are not needed for the connection's life
    }

    /** The session, once the opening handshake made one; else null. */
    public Session session() {
        return session;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Ends the connection for a server or client going away: closes the session with {@code code},
     * or drops the connection if its opening handshake is not over. On the loop thread.
     */
    public void goAway(int code, String reason) {
        if (session == null) {
            closeChannel();
        } else {
            session.connection().close(code, reason);
        }
    }

    @Override
    public void onReady(SelectionKey key) {
        int ready = key.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            finishConnect();
            return;
        }
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            flush();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && !closed) {
            read();
        }
    }

    private void finishConnect() {
        try {
            if (!channel.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        connected();
    }

    /**
     * A client's TCP connect completed, at once or after {@code OP_CONNECT}: the opening hears of
     * it, then the layer opens. On the loop thread, after {@link #register}.
     */
    public void connected() {
        updateInterest();
        opening.connected();
        open();
    }

    private void read() {
        ByteBuffer buffer = loop.readBuffer();
        for (int i = 0; i < MAX_READS_PER_WAKEUP && readingWanted(); i++) {
            int n;
            try {
                n = channel.read(buffer.clear());
            } catch (IOException e) {
                fail(e);
                return;
            }
            if (n < 0) {
                inputEnded = true;
                updateInterest();
                layer.endOfInput();
                return;
            }
            if (n == 0) {
                return;
            }
            metrics.bytesRead(n);
            reading = true;
            try {
                layer.read(buffer.flip());
            } finally {
                reading = false;
            }
            if (!queue.isEmpty()) {
                flush();
            }
            if (n < buffer.capacity()) {
                return;
            }
        }
    }

    private boolean readingWanted() {
        return !closed && !applicationClosed && !inputEnded && !userPaused && !backpressurePaused;
    }

    // ---------------------------------------------------------------- Transport

    @Override
    public void write(Kind kind, ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
        if (!admit(kind, head.remaining() + (body == null ? 0 : body.remaining()), written)) {
            return;
        }
        // A pong goes out before the next ping of the same read is processed, so every ping is
        // answered while the socket keeps up; the session coalesces pongs only when it does not.
        urgent = kind.isControl();
        try {
            layer.write(head, body, written);
        } finally {
            urgent = false;
        }
    }

    @Override
    public void writeFrame(Kind kind, int firstByte, ByteBuffer body, CompletableFuture<Void> written) {
        if (!layer.passesThrough()) {
            Transport.super.writeFrame(kind, firstByte, body, written);
            return;
        }
        if (!admit(kind, FrameEncoder.headerLength(body.remaining()) + body.remaining(), written)) {
            return;
        }
        urgent = kind.isControl();
        try {
            queued(queue.addFrame(firstByte, body, written));
        } finally {
            urgent = false;
        }
    }

    /** Whether a write of {@code n} bytes may be queued; if not, its future has failed. */
    private boolean admit(Kind kind, long n, CompletableFuture<Void> written) {
        if (closed || applicationClosed) {
            fail(written, new ClosedChannelException());
            return false;
        }
        // The limit bounds what piles up behind a slow reader; a single frame larger than it still
        // goes when nothing is queued, so memory stays under the limit plus one frame.
        if (queue.queuedBytes() > 0 && queue.queuedBytes() + n > config.maxQueuedBytes()) {
            if (!overflowing) {
                overflowing = true;
                // Deferred: this call comes from inside the session's own write.
                loop.execute(this::overflowed);
            }
            if (!kind.isControl()) {
                fail(written, new IOException("the write queue is over its limit of " + config.maxQueuedBytes() + " bytes"));
                return false;
            }
        }
        return true;
    }

    /** Queues bytes for the socket and writes what it can now. */
    private void writeNetwork(ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
        if (closed) {
            fail(written, new ClosedChannelException());
            return;
        }
        queued(queue.add(head, body, written));
    }

    /** Something was queued: pauses reading if that passed the high watermark, and writes now unless a read is being processed. */
    private void queued(boolean pastHighWatermark) {
        if (pastHighWatermark) {
            backpressurePaused = config.pauseReadsWhenNotWritable();
            if (session != null) {
                session.metrics().writeQueueFull(queue.queuedBytes());
            }
        }
        if (!flushing && (!reading || urgent)) {
            flush();
        }
    }

    private void overflowed() {
        if (closed) {
            return;
        }
        LOG.log(DEBUG, () -> this + ": write queue over its limit, " + config.overflowPolicy());
        if (session == null || config.overflowPolicy() == OverflowPolicy.ABORT) {
            fail(new IOException("the write queue is over its limit"));
        } else {
            session.connection().close(CloseCodes.POLICY_VIOLATION, "the write queue is over its limit");
        }
    }

    private void flush() {
        flushing = true;
        try {
            long written = queue.writeTo(channel, loop.gatherArray());
            if (written > 0) {
                metrics.bytesWritten(written);
            }
        } catch (IOException e) {
            fail(e);
            return;
        } finally {
            flushing = false;
        }
        if (closed) {
            return;
        }
        if (queue.isEmpty() && closeRequested) {
            closeChannel();
            return;
        }
        if (session != null) {
            session.accountMemory(); // what left the queue is no longer held
        }
        if (queue.drained()) {
            backpressurePaused = false;
            if (session != null) {
                session.metrics().writeQueueDrained();
                session.writable();
            }
        }
        updateInterest();
    }

    @Override
    public void close() {
        if (applicationClosed || closed) {
            return;
        }
        applicationClosed = true;
        layer.close();
    }

    private void closeNetwork() {
        closeRequested = true;
        if (queue.isEmpty() && !flushing) {
            closeChannel();
        } else {
            updateInterest();
        }
    }

    @Override
    public void abort() {
        closeChannel();
    }

    @Override
    public long queuedBytes() {
        return queue.queuedBytes();
    }

    @Override
    public boolean isWritable() {
        return queue.isWritable();
    }

    @Override
    public void pauseReading(boolean paused) {
        userPaused = paused;
        updateInterest();
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    // ---------------------------------------------------------------- closing

    /** Closes after an I/O failure and tells whoever reads the connection. */
    public void fail(IOException cause) {
        if (closed) {
            return;
        }
        LOG.log(DEBUG, () -> this + " failed: " + cause);
        closeChannel();
        if (session != null) {
            session.transportFailed(cause);
        } else {
            opening.onFailure(cause);
        }
    }

    private void closeChannel() {
        if (closed) {
            return;
        }
        closed = true;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(DEBUG, () -> "closing " + this + ": " + e);
        }
        queue.failAll(new ClosedChannelException());
        if (session != null) {
            session.metrics().writeQueuePeak(queue.peakBytes());
        }
        onClosed.accept(this);
    }

    private static void fail(CompletableFuture<Void> written, Throwable cause) {
        if (written != null) {
            written.completeExceptionally(cause);
        }
    }

    private void updateInterest() {
        if (closed || key == null || !key.isValid()) {
            return;
        }
        int ops = 0;
        if (readingWanted()) {
            ops |= SelectionKey.OP_READ;
        }
        if (!queue.isEmpty()) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    @Override
    public String toString() {
        return "NioConnection[" + remote + "]";
    }

    /** The connection as its network layer sees it. */
    private final class Network implements NetworkLayer.Link {

        private boolean applicationOpen;

        @Override
        public Executor loop() {
            return loop;
        }

        @Override
        public void writeNetwork(ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
            NioConnection.this.writeNetwork(head, body, written);
        }

        @Override
        public void closeNetwork() {
            NioConnection.this.closeNetwork();
        }

        @Override
        public void readApplication(ByteBuffer bytes) {
            if (session != null) {
                session.receive(bytes);
            } else {
                opening.onBytes(bytes);
            }
        }

        @Override
        public void applicationOpen() {
            if (!applicationOpen) {
                applicationOpen = true;
                if (opening != null) {
                    opening.applicationOpen();
                }
            }
        }

        @Override
        public void applicationEndOfInput() {
            if (session != null) {
                session.endOfInput();
            } else {
                opening.onEndOfInput();
            }
        }

        @Override
        public void fail(IOException cause) {
            NioConnection.this.fail(cause);
        }
    }
}
