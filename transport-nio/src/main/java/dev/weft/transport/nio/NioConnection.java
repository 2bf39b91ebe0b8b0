package dev.weft.transport.nio;

import dev.weft.api.CloseCodes;
import dev.weft.core.session.Session;
import dev.weft.core.session.Transport;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * One TCP connection on one {@link EventLoop}: reads into the loop's shared buffer and hands the
 * bytes to its {@link Reader} (the opening handshake, then the session); queues writes and sends
 * them with gathering writes, asking for {@code OP_WRITE} only while something is queued. Used on
 * its loop thread only, except for the fields documented as readable from anywhere.
 *
 * <h2>Backpressure</h2>
 * Above the high watermark the connection is not writable and (by default) stops reading, so a peer
 * that sends faster than it reads is slowed down by TCP itself; below the low watermark it is
 * writable again and the handler is told. Past the maximum, the overflow policy closes or aborts,
 * and further data frames are refused, so memory stays bounded whatever the peer does.
 */
final class NioConnection implements Transport, EventLoop.Ready {

    private static final System.Logger LOG = System.getLogger(NioConnection.class.getName());
    private static final int MAX_READS_PER_WAKEUP = 16;

    /** What reads a connection's input: its opening handshake, then its session. */
    interface Reader {
        /** Bytes from the peer, from position to limit; consume them all (the buffer is reused). */
        void onBytes(ByteBuffer bytes);

        /** The peer closed its side. */
        void onEndOfInput();

        /** The connection failed (reset, broken pipe); it is already closed. */
        void onFailure(IOException cause);
    }

    private record Pending(ByteBuffer bytes, CompletableFuture<Void> written) {
    }

    private final EventLoop loop;
    private final SocketChannel channel;
    private final TransportConfig config;
    private final TransportStats stats;
    private final SocketAddress remote;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final NetworkLayer layer;
    private final Network network = new Network();
    private SelectionKey key;
    private Reader reader;
    private Session session;
    private Runnable onClosed = () -> { };
    private Runnable onConnected = () -> { };
    private Runnable onApplicationOpen = () -> { };

    private volatile long queued;
    private volatile boolean writable = true;
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

    NioConnection(EventLoop loop, SocketChannel channel, TransportConfig config, TransportStats stats,
                  SocketAddress remote, NetworkLayer layer) {
        this.loop = loop;
        this.channel = channel;
        this.config = config;
        this.stats = stats;
        this.remote = remote;
        this.layer = layer;
    }

    EventLoop loop() {
        return loop;
    }

    /** Registers with the loop's selector for {@code ops}. On the loop thread. */
    void register(int ops) throws IOException {
        key = loop.register(channel, ops, this);
    }

    void reader(Reader reader) {
        this.reader = reader;
    }

    /** The session, once the handshake made one: told when the queue drains. */
    void session(Session session) {
        this.session = session;
    }

    /** Runs once the non-blocking connect completes (a client), before the layer opens. */
    void onConnected(Runnable onConnected) {
        this.onConnected = onConnected;
    }

    /** Runs once the layer is ready for protocol bytes (a client then sends its request). */
    void onApplicationOpen(Runnable onApplicationOpen) {
        this.onApplicationOpen = onApplicationOpen;
    }

    /** The TCP connection is up: opens the layer. On the loop thread, after {@link #register}. */
    void open() {
        layer.open(network);
    }

    /** Runs once, when the channel closes. */
    void onClosed(Runnable onClosed) {
        this.onClosed = onClosed;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Ends the connection for a server going away: closes the session with {@code code}, or drops
     * the connection if its opening handshake is not over. On the loop thread.
     */
    void goAway(int code, String reason) {
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
        updateInterest();
        onConnected.run();
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
            stats.bytesRead(n);
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
        if (closed || applicationClosed) {
            fail(written, new ClosedChannelException());
            return;
        }
        long n = head.remaining() + (body == null ? 0 : body.remaining());
        boolean control = kind.isControl();
        // The limit bounds what piles up behind a slow reader; a single frame larger than it still
        // goes when nothing is queued, so memory stays under the limit plus one frame.
        if (queued > 0 && queued + n > config.maxQueuedBytes()) {
            if (!overflowing) {
                overflowing = true;
                // Deferred: this call comes from inside the session's own write.
                loop.execute(this::overflowed);
            }
            if (!control) {
                fail(written, new IOException("the write queue is over its limit of " + config.maxQueuedBytes() + " bytes"));
                return;
            }
        }
        if (kind == Kind.FINAL_DATA) {
            stats.messageSent();
        }
        // A pong goes out before the next ping of the same read is processed, so every ping is
        // answered while the socket keeps up; the session coalesces pongs only when it does not.
        urgent = control;
        try {
            layer.write(head, body, written);
        } finally {
            urgent = false;
        }
    }

    /** Queues bytes for the socket and writes what it can now. */
    private void writeNetwork(ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
        if (closed) {
            fail(written, new ClosedChannelException());
            return;
        }
        long n = head.remaining() + (body == null ? 0 : body.remaining());
        if (body == null) {
            queue.add(new Pending(head, written));
        } else {
            queue.add(new Pending(head, null));
            queue.add(new Pending(body, written));
        }
        queued += n;
        if (writable && queued > config.highWatermark()) {
            writable = false;
            if (config.pauseReadsWhenNotWritable()) {
                backpressurePaused = true;
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
            ByteBuffer[] gather = loop.gatherArray();
            while (!queue.isEmpty() && !closed) {
                int k = 0;
                for (Pending p : queue) {
                    if (k == gather.length) {
                        break;
                    }
                    gather[k++] = p.bytes();
                }
                long n;
                try {
                    n = channel.write(gather, 0, k);
                } catch (IOException e) {
                    fail(e);
                    return;
                } finally {
                    Arrays.fill(gather, 0, k, null);
                }
                stats.bytesWritten(n);
                queued -= n;
                // Completing a future may queue more (an automatic pong): the loop picks it up.
                while (!queue.isEmpty() && !queue.peek().bytes().hasRemaining()) {
                    Pending done = queue.poll();
                    if (done.written() != null) {
                        done.written().complete(null);
                    }
                }
                if (!queue.isEmpty() && queue.peek().bytes().hasRemaining() && n == 0) {
                    break; // the socket buffer is full: wait for OP_WRITE
                }
            }
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
        if (!writable && queued <= config.lowWatermark()) {
            writable = true;
            backpressurePaused = false;
            if (session != null) {
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
        return queued;
    }

    @Override
    public boolean isWritable() {
        return writable;
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

    /** Closes after an I/O failure and tells the reader. */
    void fail(IOException cause) {
        if (closed) {
            return;
        }
        LOG.log(DEBUG, () -> this + " failed: " + cause);
        closeChannel();
        reader.onFailure(cause);
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
        ClosedChannelException cause = new ClosedChannelException();
        for (Pending p; (p = queue.poll()) != null; ) {
            fail(p.written(), cause);
        }
        queued = 0;
        onClosed.run();
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
        public EventLoop scheduler() {
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
            reader.onBytes(bytes);
        }

        @Override
        public void applicationOpen() {
            if (!applicationOpen) {
                applicationOpen = true;
                onApplicationOpen.run();
            }
        }

        @Override
        public void applicationEndOfInput() {
            reader.onEndOfInput();
        }

        @Override
        public void fail(IOException cause) {
            NioConnection.this.fail(cause);
        }
    }
}
