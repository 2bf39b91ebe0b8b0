package dev.weft.transport.blocking;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.Frame;
import dev.weft.api.FrameObserver;
import dev.weft.api.Message;
import dev.weft.api.PartialMessageHandler;
import dev.weft.api.WebSocketHandler;
import dev.weft.transport.blocking.socket.Inbox;
import dev.weft.transport.blocking.socket.SocketSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One end of a WebSocket connection over a socket, read and written with blocking calls: a server
 * end from {@link SocketAcceptor} (or {@link #accept(Socket)}), a client end from
 * {@link BlockingWebSocketClient} (or {@link #connect(URI)}).
 *
 * <pre>{@code
 * try (BlockingWebSocket ws = BlockingWebSocket.accept(serverSocket.accept())) {
 *     for (Message m; (m = ws.receive()) != null; ) {
 *         ws.send(m);  // echo
 *     }
 * }
 * }</pre>
 *
 * <h2>Receiving</h2>
 * An end is read in one way, chosen when it is made ({@link Receiving}): whole messages with
 * {@link #receive()}, every frame with {@link #receiveFrame()}, or messages as streams with
 * {@link #receiveStream()}. Control frames and fragmentation stay hidden from the message calls:
 * pings are answered and the close handshake is completed while reading. Nothing is read unless a
 * receive call (or {@link #receiveForever}) is reading, so an end that is only written to answers
 * no ping and sees no close frame: read it, or hand it to {@link #receiveForever} on a thread of its
 * own. One thread reads at a time; others wait.
 *
 * <h2>Sending</h2>
 * Sends write the frame before they return, blocking while the peer does not read, and are safe
 * from any thread: each frame is written whole, in call order, under a
 * {@link java.util.concurrent.locks.ReentrantLock} (never {@code synchronized}, so a virtual thread
 * blocked in a write does not pin its carrier). A write that makes no progress for the write timeout
 * aborts the connection. Inside a handler callback of {@link #receiveForever}, a send writes its
 * frame before it returns too, but a failure is reported through {@code onError} and
 * {@code onClose} instead of thrown. {@link #connection()} offers the same sends as futures.
 *
 * <h2>Limits and timers</h2>
 * The end runs the engine of the NIO transport, with its limits, its close codes, its memory
 * budget and its timers (keepalive, idle, message and close timeouts), which run on a timer of
 * their own: an end nobody reads is still closed when its idle timeout passes.
 */
public final class BlockingWebSocket implements AutoCloseable {

    private final SocketSession session;
    private final Inbox inbox;
    private final Receiving receiving;
    private final ReentrantLock reading = new ReentrantLock();
    private final int streamChunkSize;
    /** The message {@link #receiveStream()} handed out last; guarded by {@link #reading}. */
    private IncomingMessage current;

    BlockingWebSocket(SocketSession session, Inbox inbox, Receiving receiving) {
        this.session = session;
        this.inbox = inbox;
        this.receiving = receiving;
        this.streamChunkSize = 16 * 1024;
    }

    /**
     * Runs the server side of the opening handshake on an accepted socket, with the default
     * settings, and returns the open end.
     *
     * @throws dev.weft.api.handshake.HandshakeException if the request was refused (the response is
     *     written and the socket closed)
     * @throws IOException if the socket failed or the handshake timed out (the socket is closed)
     * @see SocketAcceptor for settings, and for a request whose head was read already
     */
    public static BlockingWebSocket accept(Socket socket) throws IOException {
        return SocketAcceptor.defaults().accept(socket);
    }

    /**
     * Connects to a {@code ws://} or {@code wss://} URI with the default settings (for {@code wss://},
     * the JDK's trusted CAs and a host-name check) and returns the open end.
     *
     * @throws dev.weft.api.handshake.HandshakeException if the server refused the upgrade
     * @throws IOException if the connection failed or timed out
     * @see BlockingWebSocketClient for settings, and to run the handshake on a socket of your own
     */
    public static BlockingWebSocket connect(URI uri) throws IOException {
        return BlockingWebSocketClient.defaults().open(uri);
    }

    /** The connection, for what the blocking calls do not cover: futures, state, attributes. Safe from any thread. */
    public Connection connection() {
        return session.connection();
    }

    // ------------------------------------------------------------------ sending

    /** Sends a text message. */
    public void sendText(CharSequence text) throws IOException {
        await(() -> connection().sendText(text));
    }

    /** Sends a binary message (the bytes from position to limit). */
    public void sendBinary(ByteBuffer data) throws IOException {
        await(() -> connection().sendBinary(data));
    }

    /** Sends a message. */
    public void send(Message message) throws IOException {
        if (message instanceof Message.Text t) {
            sendText(t.text());
        } else {
            sendBinary(((Message.Binary) message).data());
        }
    }

    /**
     * Sends one frame as given: its FIN bit, RSV bits and opcode, for custom fragmentation or an
     * extension's bits (the frame level). The engine still refuses what the protocol forbids here
     * (a data frame while a message is open, say); a close frame closes the end.
     */
    public void send(Frame frame) throws IOException {
        await(() -> connection().sendFrame(frame));
    }

    /** Sends a ping; the pong comes back through {@link #receiveFrame()} or a handler's {@code onPong}. */
    public void ping(ByteBuffer data) throws IOException {
        await(() -> connection().ping(data));
    }

    /** Sends an unsolicited pong (a heartbeat the peer need not answer). */
    public void pong(ByteBuffer data) throws IOException {
        await(() -> connection().pong(data));
    }

    /**
     * A binary message written as a stream, in frames of up to 16 KiB as the stream fills: closing the
     * stream ends the message. Other sends wait for the message to end.
     */
    public OutputStream sendBinaryStream() {
        return new MessageOutputStream(this::await, connection(), streamChunkSize);
    }

    /** A text message written as a stream of characters; closing the writer ends the message. */
    public Writer sendTextStream() {
        return new MessageWriter(this::await, connection(), streamChunkSize);
    }

    // ------------------------------------------------------------------ receiving

    /**
     * The next message, waiting for as long as it takes.
     *
     * @return the message; null once the connection has closed (see {@link #closeCode()})
     * @throws IllegalStateException if this end is read in frames or streams
     */
    public Message receive() throws IOException {
        return next(Receiving.MESSAGES, Message.class, null);
    }

    /**
     * The next message, waiting up to {@code timeout}.
     *
     * @throws SocketTimeoutException if none arrived in time; the connection stays open
     */
    public Message receive(Duration timeout) throws IOException {
        return next(Receiving.MESSAGES, Message.class, Objects.requireNonNull(timeout));
    }

    /**
     * The next frame, data or control (the close frame too), after the negotiated extensions have
     * decoded it. Pings have been answered already.
     *
     * @return the frame; null once the connection has closed
     * @throws IllegalStateException unless this end is read in {@link Receiving#FRAMES frames}
     */
    public Frame receiveFrame() throws IOException {
        return next(Receiving.FRAMES, Frame.class, null);
    }

    /** The next frame, waiting up to {@code timeout}; see {@link #receiveFrame()}. */
    public Frame receiveFrame(Duration timeout) throws IOException {
        return next(Receiving.FRAMES, Frame.class, Objects.requireNonNull(timeout));
    }

    /**
     * The next message as a stream, read while it arrives: {@link IncomingMessage#inputStream()} for
     * binary, {@link IncomingMessage#reader()} for text. Reading it reads the connection; what the
     * application leaves unread of it is skipped by the next receive call.
     *
     * @return the message; null once the connection has closed
     * @throws IllegalStateException unless this end is read in {@link Receiving#STREAMS streams}
     */
    public IncomingMessage receiveStream() throws IOException {
        reading.lock();
        try {
            if (current != null) {
                current.skipRest();
            }
            Inbox.Part first = next(Receiving.STREAMS, Inbox.Part.class, null);
            current = first == null ? null
                    : new IncomingMessage(first, () -> next(Receiving.STREAMS, Inbox.Part.class, null));
            return current;
        } finally {
            reading.unlock();
        }
    }

    /**
     * Reads until the connection closes, handing every event to {@code handler} on this thread, as
     * the NIO transport would on its loop: {@code onOpen} first, then what arrived before this call,
     * then the rest, and {@code onClose} last. A handler written for the NIO transport runs here
     * unchanged. Returns once the connection has closed.
     *
     * @throws IllegalArgumentException if this end is read in streams and {@code handler} is not a
     *     {@link PartialMessageHandler}
     */
    public void receiveForever(WebSocketHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (receiving == Receiving.STREAMS && !(handler instanceof PartialMessageHandler)) {
            throw new IllegalArgumentException("this end is read in streams: give it a PartialMessageHandler");
        }
        reading.lock();
        try {
            session.runLocked(() -> {
                try {
                    inbox.attach(connection(), handler);
                } catch (RuntimeException e) {
                    handler.onError(connection(), e);
                    connection().close(CloseCodes.INTERNAL_ERROR, "internal error");
                }
            });
            session.readUntilClosed();
        } finally {
            reading.unlock();
        }
    }

    // ------------------------------------------------------------------ closing

    /** The code the connection closed with (see {@code WebSocketHandler.onClose}); 1006 while it is open. */
    public int closeCode() {
        return inbox.closeCode();
    }

    /** The reason the connection closed with; empty while it is open. */
    public String closeReason() {
        return inbox.closeReason();
    }

    /**
     * Starts the close handshake with {@code code} and {@code reason}, then reads (dropping what
     * arrives) until the peer answers or the close timeout passes. Another thread reading meanwhile
     * sees the close as usual.
     */
    public void close(int code, String reason) throws IOException {
        try {
            await(() -> connection().close(code, reason));
        } catch (IOException e) {
            if (!inbox.isClosed()) {
                throw e;
            }
        }
        if (reading.tryLock()) {
            try {
                inbox.discard();
                while (session.readOnce(0)) {
                    // until the peer's close frame, or its end of stream
                }
            } finally {
                reading.unlock();
            }
        }
        try {
            inbox.awaitClosed(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.abort();
            throw new InterruptedIOException("interrupted while closing");
        }
    }

    /** Closes with 1000 (normal closure); see {@link #close(int, String)}. Does nothing once closed. */
    @Override
    public void close() throws IOException {
        if (!inbox.isClosed()) {
            close(CloseCodes.NORMAL_CLOSURE, "");
        }
    }

    /** Ends the connection at once, without a close handshake. */
    public void abort() {
        session.abort();
    }

    @Override
    public String toString() {
        return "BlockingWebSocket[" + session + "]";
    }

    // ------------------------------------------------------------------ internals

    /** The next kept event, reading the connection when none is kept. */
    private <T> T next(Receiving expected, Class<T> type, Duration timeout) throws IOException {
        if (receiving != expected) {
            throw new IllegalStateException("this end is read in " + receiving.name().toLowerCase()
                    + ", not " + expected.name().toLowerCase());
        }
        if (timeout != null && !session.hasReadTimeouts()) {
            throw new IllegalStateException("a connection over a stream pair cannot time out a read");
        }
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        reading.lock();
        try {
            while (true) {
                Object event = inbox.poll();
                if (event != null) {
                    return type.cast(event);
                }
                if (inbox.isClosed()) {
                    return null;
                }
                long left = timeout == null ? 0 : deadline - System.nanoTime();
                if (timeout != null && left <= 0) {
                    throw new SocketTimeoutException("nothing received within " + timeout);
                }
                if (!readOnce(timeout, left)) {
                    awaitClose(timeout == null ? Long.MAX_VALUE : left);
                }
            }
        } finally {
            reading.unlock();
        }
    }

    /** Reads once, for up to {@code left} nanoseconds of {@code timeout} (null: for as long as it takes). */
    private boolean readOnce(Duration timeout, long left) throws IOException {
        if (timeout == null) {
            return session.readOnce(0);
        }
        try {
            return session.readOnce((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
        } catch (SocketTimeoutException e) {
            SocketTimeoutException timedOut = new SocketTimeoutException("nothing received within " + timeout);
            timedOut.initCause(e);
            throw timedOut;
        }
    }

    /** Nothing more will be read: the close is on its way (the close timeout bounds it). */
    private void awaitClose(long nanos) throws IOException {
        try {
            if (!inbox.awaitClosed(nanos)) {
                throw new SocketTimeoutException("the connection did not finish closing in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the connection closed");
        }
    }

    /** Runs a send under the session's lock; by the time it returns its frame is written, or failed. */
    void await(Supplier<CompletableFuture<Void>> send) throws IOException {
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] sent = new CompletableFuture[1];
        session.runLocked(() -> sent[0] = send.get());
        if (!sent[0].isDone()) {
            return; // inside a callback: written already; its outcome comes once the callback returns
        }
        try {
            sent[0].join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new IOException(io.getMessage(), io);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(cause);
        }
    }

}
