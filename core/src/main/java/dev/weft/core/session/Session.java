package dev.weft.core.session;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketException;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.metrics.CloseSide;
import dev.weft.api.metrics.ConnectionMetrics;
import dev.weft.core.extension.ExtensionChain;
import dev.weft.core.frame.FrameDecoder;
import dev.weft.core.frame.MaskKeySource;
import dev.weft.core.handshake.Agreement;
import dev.weft.core.log.AccessLog;
import dev.weft.core.log.PeerFaultLog;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The engine of one WebSocket connection after its opening handshake: the protocol of RFC 6455
 * §5–§7 with no I/O of its own. A transport feeds it bytes ({@link #receive}) and the end of input
 * ({@link #endOfInput}); it writes to the transport's {@link Transport} and sets timers on the
 * transport's {@link Scheduler}. The application sees its {@link #connection()}, never the engine.
 *
 * <h2>Theory of operation</h2>
 * The engine is split along its jobs: {@link SessionState} holds where the close dance stands (its
 * documentation walks through the dance), {@link Reading} feeds input to the frame decoder,
 * {@link Inbound} routes what it decodes, {@link Outbound} encodes and writes, {@link SessionTimers}
 * keeps the deadlines and {@link Callbacks} calls the handler. The close dance itself is here.
 *
 * <h2>Threads</h2>
 * Everything here runs on the loop thread. The {@link Connection} is safe from any thread: it
 * hands its calls to the loop, in call order. No lock is taken.
 */
public final class Session {

    private static final System.Logger LOG = System.getLogger(Session.class.getName());
    /** A server never masks (RFC 6455 §5.1), so it needs no keys. */
    private static final MaskKeySource NO_MASKING = () -> 0;

    private final Role role;
    private final WebSocketConfig config;
    private final WebSocketHandler handler;
    private final Transport transport;
    private final Scheduler scheduler;
    private final Agreement agreement;
    private final Traffic metrics;
    private final boolean accessLog;
    private final SessionState state = new SessionState();
    private final ExtensionChain extensions;
    private final SessionConnection connection;
    private final Callbacks callbacks;
    private final Inbound inbound;
    private final Outbound outbound;
    private final Reading reading;
    private final SessionTimers timers;
    private final MemoryAccount memory;
    private long openedAt;
    /** This end closes it for what the peer did: its access line is rate-limited with the peer faults. */
    private boolean peerFault;

    /**
     * @param role which end this session is
     * @param config the protocol settings
     * @param agreement what the opening handshake agreed; the session closes its extensions
     * @param handler receives the events
     * @param transport carries the bytes
     * @param scheduler the loop thread and clock
     * @param options callbacks, metrics (asked here for this connection's), memory budget, masking keys
     *     and whether to write an access line
     */
    public Session(Role role, WebSocketConfig config, Agreement agreement, WebSocketHandler handler,
                   Transport transport, Scheduler scheduler, SessionOptions options) {
        this.role = role;
        this.config = config;
        this.handler = handler;
        this.transport = transport;
        this.scheduler = scheduler;
        this.agreement = agreement;
        this.metrics = new Traffic(options.metrics().opened(role, options.endpoint()));
        this.accessLog = options.accessLog();
        this.extensions = new ExtensionChain(agreement.extensions());
        this.connection = new SessionConnection(this, agreement, extensions, transport, scheduler, state);
        Events events = new Events();
        this.callbacks = new Callbacks(connection, scheduler, options.callbackExecutor(), events);
        MaskKeySource keys = role == Role.SERVER ? NO_MASKING
                : options.maskKeys() != null ? options.maskKeys() : MaskKeySource.secure();
        this.outbound = new Outbound(role, keys, transport, extensions, state, metrics, events);
        this.inbound = new Inbound(handler, extensions, config, state, callbacks, metrics, outbound, events);
        FrameDecoder decoder = new FrameDecoder(role, config.maxFrameSize());
        decoder.allowRsv(extensions.rsv());
        this.reading = new Reading(decoder, inbound, state, scheduler, transport, metrics, events);
        this.timers = new SessionTimers(scheduler, config, inbound, events);
        this.memory = new MemoryAccount(options.budget(), scheduler, reading, events, metrics);
    }

    /** What the application holds: safe from any thread. */
    public Connection connection() {
        return connection;
    }

    /** Where this connection's events go: what the transport reports its own events of the connection to. */
    public ConnectionMetrics metrics() {
        return metrics;
    }

    // ---------------------------------------------------------------- from the transport (loop thread)

    /** Opens the session and calls {@code onOpen}. Call once, before {@link #receive}. */
    public void start() {
        start(null);
    }

    /**
     * Opens a session: writes the handshake's response (a server's 101), then calls
     * {@code onOpen}, so the handler's first sends follow the response. Call once, on the loop
     * thread, before {@link #receive}.
     *
     * @param handshakeResponse the 101 response, or {@code null} if there is none to write
     */
    public void start(ByteBuffer handshakeResponse) {
        state.open();
        openedAt = scheduler.nanoTime();
        if (handshakeResponse != null) {
            transport.write(Transport.Kind.HANDSHAKE, handshakeResponse, null, null);
        }
        timers.start();
        callbacks.invoke(() -> handler.onOpen(connection));
    }

    /**
     * Feeds bytes from the peer. Consumes all of {@code in}; masked payloads are unmasked in place,
     * so the buffer must be writable.
     */
    public void receive(ByteBuffer in) {
        if (state.get() == ConnectionState.CONNECTING) {
            throw new IllegalStateException("receive before start");
        }
        if (state.inputClosed()) {
            in.position(in.limit());
            return;
        }
        metrics.received(in.remaining());
        inbound.inputAt(timers.inputArrived());
        reading.receive(in);
        if (state.inputClosed()) {
            in.position(in.limit()); // what follows a close frame or a failure is dropped
        }
        afterInput();
    }

    /** The peer closed its side of the connection (end of stream). */
    public void endOfInput() {
        if (reading.deferEnd()) {
            return; // the input before the end is decoded first
        }
        state.endInput();
        if (state.isClosed()) {
            // A client waiting for the server to close TCP after the close handshake.
            timers.cancelCloseTimer();
            transport.close();
        } else {
            enterClosed(CloseCodes.ABNORMAL_CLOSURE, "the connection ended without a close frame", false, sideOfAnEnd());
        }
    }

    /** The transport failed (an I/O error): reports it and closes with 1006. */
    public void transportFailed(Throwable cause) {
        state.closeInput();
        callbacks.reportError(() -> handler.onError(connection, cause));
        enterClosed(CloseCodes.ABNORMAL_CLOSURE, cause.toString(), true, sideOfAnEnd());
    }

    /** Who began a close that ends in the connection ending: this end if it had sent its close frame. */
    private CloseSide sideOfAnEnd() {
        return state.closeSent() ? CloseSide.LOCAL : CloseSide.REMOTE;
    }

    /**
     * Reports what this session holds to its memory budget: the transport calls it after writing
     * queued bytes, so that what left the queue is given back.
     */
    public void accountMemory() {
        if (state.isClosed()) {
            return; // gave all back on closing; the transport lets go of the rest
        }
        memory.report(inbound.heldBytes() + extensions.heldBytes() + reading.heldBytes() + transport.queuedBytes());
    }

    /** The transport's write queue drained below its low watermark after passing its high one. */
    public void writable() {
        if (state.isOpen() || state.get() == ConnectionState.CLOSING) {
            callbacks.invoke(() -> handler.onWritable(connection));
        }
    }

    /**
     * Into how many frames extensions cut the last data message received: its wire frames, or more
     * when an extension handed its output back in slices.
     */
    public int decodedSlices() {
        return inbound.slices();
    }

    @Override
    public String toString() {
        return "Session[" + role + " " + state.get() + " " + transport.remoteAddress() + "]";
    }

    // ---------------------------------------------------------------- from the connection (loop thread)

    long heldBytes() {
        return memory.held();
    }

    Outbound outbound() {
        return outbound;
    }

    Reading reading() {
        return reading;
    }

    /** A local close: the close frame, then CLOSING until the peer answers or the timeout passes. */
    void close(ByteBuffer body, CompletableFuture<Void> written) {
        if (!state.isOpen()) {
            written.complete(null); // already closing: the handshake under way decides the outcome
            return;
        }
        outbound.sendClose(body, written);
        startClosing();
    }

    /** This end's close frame is written: CLOSING, and the close timeout starts. */
    void startClosing() {
        state.closing();
        if (!state.isClosed()) { // writing it may have failed the connection already
            timers.startCloseTimer();
        }
    }

    void abort() {
        enterClosed(CloseCodes.ABNORMAL_CLOSURE, "aborted", true, CloseSide.LOCAL);
    }

    // ---------------------------------------------------------------- inbound events

    private void onCloseFrame(CloseFrame close) {
        state.closeInput();
        CloseSide side = state.closeSent() ? CloseSide.LOCAL : CloseSide.REMOTE;
        if (!state.closeSent()) {
            // "If an endpoint receives a Close frame and did not previously send a Close frame, the
            // endpoint MUST send a Close frame in response. ... it typically echos the status code it
            // received." (RFC 6455 §5.5.1)
            ByteBuffer echo = close.code() == CloseCodes.NO_STATUS_RECEIVED
                    ? ByteBuffer.allocate(0) : CloseFrame.body(close.code(), new byte[0]);
            outbound.sendClose(echo, null);
        }
        enterClosed(close.code(), close.reason(), false, side);
    }

    /** After a turn of decoding: time the message in progress and report what is held, or let go of it all. */
    private void afterInput() {
        if (state.isClosed()) {
            inbound.release();
            return;
        }
        timers.timeMessage();
        accountMemory();
    }

    // ---------------------------------------------------------------- failures and closing

    /** Fails the connection (RFC 6455 §7.1.7): a close frame with {@code code}, then CLOSED. */
    private void fail(int code, String reason, Throwable cause) {
        if (state.isClosed()) {
            return;
        }
        LOG.log(DEBUG, () -> "failing " + this + " with " + code + ": " + reason);
        metrics.failed(code);
        state.closeInput();
        callbacks.reportError(() -> handler.onError(connection, cause));
        if (!state.closeSent()) {
            outbound.sendClose(CloseFrame.body(code, CloseFrame.fitReason(reason)), null);
        }
        enterClosed(code, reason, false, CloseSide.LOCAL);
    }

    /** Fails the connection for what the peer did (or made happen), in the rate-limited peer log. */
    private void failLogged(int code, String reason) {
        failForPeer(new WebSocketException(code, reason));
    }

    /**
     * Fails the connection for what the peer did, in the rate-limited peer log: its access line if
     * it has one (once closed), else a line of the peer log's own now.
     */
    private void failForPeer(WebSocketException e) {
        if (state.isClosed()) {
            return;
        }
        if (accessLog) {
            peerFault = true;
        } else {
            PeerFaultLog.closed(transport.remoteAddress(), e.closeCode(), e.getMessage());
        }
        fail(e.closeCode(), e.getMessage(), e);
    }

    private void enterClosed(int code, String reason, boolean abortTransport, CloseSide side) {
        if (!state.close()) {
            return;
        }
        // Counted before the transport closes, so whoever sees the close also sees it counted.
        metrics.closed(code, side);
        if (accessLog && AccessLog.enabled()) {
            AccessLog.closed(AccessLine.of(transport.remoteAddress(), agreement, scheduler.nanoTime() - openedAt,
                    metrics, code, reason, side), peerFault);
        }
        timers.cancelAll();
        extensions.close();
        if (!reading.receiving()) {
            inbound.release(); // else once the read is over: the inbound side may be mid-frame
        }
        reading.clear();
        memory.close();
        if (abortTransport) {
            transport.abort();
        } else if (role == Role.SERVER || state.inputEnded()) {
            // "the underlying TCP connection, in most normal cases, SHOULD be closed first by the
            // server" (RFC 6455 §7.1.1)
            transport.close();
        } else {
            timers.startCloseTimer();
        }
        callbacks.notify("onClose", () -> handler.onClose(connection, code, reason));
    }

    /**
     * What the parts of the engine ask of the session, each through its own narrow interface. One
     * object answers them all, so that a connection holds one, not one per part.
     */
    private final class Events implements Reading.Owner, SessionTimers.Owner, Outbound.Owner, Inbound.CloseFrames,
            Callbacks.HandlerFailure, MemoryAccount.Eviction {
        @Override
        public void fail(int code, String reason, Throwable cause) {
            Session.this.fail(code, reason, cause);
        }

        @Override
        public void failForPeer(WebSocketException e) {
            Session.this.failForPeer(e);
        }

        @Override
        public void afterInput() {
            Session.this.afterInput();
        }

        @Override
        public void endOfInput() {
            Session.this.endOfInput();
        }

        @Override
        public void closeFrame(CloseFrame close) {
            onCloseFrame(close);
        }

        @Override
        public void wrote() {
            if (!reading.receiving()) {
                accountMemory(); // within a read, the read accounts once at its end
            }
        }

        @Override
        public void encodeFailed(RuntimeException e) {
            Session.this.fail(CloseCodes.INTERNAL_ERROR, "internal error", e);
        }

        @Override
        public void handlerFailed(Throwable t) {
            LOG.log(WARNING, "handler failed on " + Session.this + "; closing with 1011", t);
            Session.this.fail(CloseCodes.INTERNAL_ERROR, "internal error", t);
        }

        /** The memory budget closes this session: it holds the most when the budget ran short. */
        @Override
        public void evict(int code, String reason) {
            failLogged(code, reason);
        }

        @Override
        public void idleTimedOut() {
            enterClosed(CloseCodes.ABNORMAL_CLOSURE, "idle timeout", true, CloseSide.LOCAL);
        }

        @Override
        public void keepAlive() {
            if (state.isOpen()) {
                outbound.sendPing();
                timers.nextKeepAlive();
            }
        }

        @Override
        public void messageTimedOut() {
            if (state.isClosed() || state.inputClosed()) {
                return;
            }
            String reason = "a message took longer than the message timeout of " + config.messageTimeout().toSeconds() + " s";
            failLogged(CloseCodes.POLICY_VIOLATION, reason);
        }

        @Override
        public void closeTimedOut() {
            if (!state.isClosed()) {
                enterClosed(CloseCodes.ABNORMAL_CLOSURE, "no close frame within the close timeout", true, CloseSide.LOCAL);
            } else {
                transport.close(); // a client that waited in vain for the server to close TCP
            }
        }
    }
}
