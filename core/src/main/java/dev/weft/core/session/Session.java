package dev.weft.core.session;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketException;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.core.extension.ExtensionChain;
import dev.weft.core.frame.FrameDecoder;
import dev.weft.core.frame.FrameEncoder;
import dev.weft.core.frame.MaskKeySource;
import dev.weft.core.handshake.Agreement;
import dev.weft.core.message.Utf8Encoder;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.WARNING;

/**
 * One WebSocket connection after its opening handshake: the protocol state machine of RFC 6455
 * §5–§7, with no I/O of its own. A transport feeds it bytes ({@link #receive}) and the end of input
 * ({@link #endOfInput}); it writes bytes to the transport's {@link TransportSink} and sets timers on
 * the transport's {@link Scheduler}.
 *
 * <h2>Theory of operation</h2>
 * The state only moves forward: {@code CONNECTING → OPEN → CLOSING → CLOSED}.
 * <ul>
 * <li>{@link #start} opens the session and calls {@code onOpen}.
 * <li>A local {@code close()} sends a close frame and moves to CLOSING; the peer's answering close
 *     frame moves to CLOSED. If it does not come within the close timeout, the transport is
 *     aborted and the handler sees 1006.
 * <li>A close frame from the peer while OPEN is echoed, and the session is CLOSED at once; input
 *     after a close frame is ignored.
 * <li>A protocol violation by the peer, an extension failure or a handler exception
 *     <em>fails</em> the connection (RFC 6455 §7.1.7): a close frame with the matching code, then
 *     CLOSED; input after that is ignored.
 * <li>End of input before the close handshake, an abort, the idle timeout or a transport failure
 *     go straight to CLOSED with 1006.
 * </ul>
 * On entering CLOSED the extensions are closed and the transport is closed: at once by a server
 * (RFC 6455 §7.1.1 has the server close TCP first), after the server's own close, or the close
 * timeout, by a client.
 *
 * <h2>Threads</h2>
 * The transport calls {@link #start}, {@link #receive}, {@link #endOfInput} and
 * {@link #transportFailed} on the loop thread. The {@link Connection} methods are safe from any
 * thread: on the loop thread they act at once, from elsewhere they are handed to the loop with
 * {@link Scheduler#execute}, in call order. Text is encoded on the calling thread, so a sender
 * pays for its own encoding. No lock is taken.
 */
public final class Session implements Connection {

    private static final System.Logger LOG = System.getLogger(Session.class.getName());
    /** Set once an OutOfMemoryError has been logged at ERROR: later ones are logged at DEBUG. */
    private static final AtomicBoolean outOfMemoryLogged = new AtomicBoolean();

    private final Role role;
    private final WebSocketConfig config;
    private final Agreement agreement;
    private final WebSocketHandler handler;
    private final TransportSink sink;
    private final Scheduler scheduler;
    private final ExtensionChain extensions;
    private final FrameEncoder encoder;
    private final FrameDecoder decoder;
    private final Inbound inbound;
    /** Made on first use (most connections never use it), unless interceptors set attributes. */
    private volatile ConcurrentMap<String, Object> attributes;
    private Executor callbackExecutor;
    private SessionMetrics metrics = SessionMetrics.NONE;
    /** This connection's part of its server's or client's memory budget; null when there is none. */
    private MemoryBudget.Share budgetShare;
    private volatile long heldBytes;

    private volatile ConnectionState state = ConnectionState.CONNECTING;
    /** Set once no more input is to be read: a close frame arrived, the connection failed or ended. */
    private boolean inputClosed;
    private boolean inputEnded;
    private boolean closeSent;
    private boolean errorReported;
    /** The opcode of an outgoing message being streamed in parts, or null. */
    private Opcode streaming;
    /** At most one automatic pong is queued at a time; the latest ping waits here meanwhile. */
    private boolean pongInFlight;
    private ByteBuffer pendingPong;
    private long lastInputNanos;
    private final InputBacklog backlog = new InputBacklog();
    private final Runnable continueDecoding = this::continueDecoding;
    private boolean continueScheduled;
    private boolean endAfterBacklog;
    /** Reading stops while any of these holds: the application asked, the budget, or pending output. */
    private boolean pausedByUser;
    private boolean pausedByBudget;
    private boolean pausedForOutput;
    private boolean receiving;
    private Scheduler.Timer messageTimer;
    /** Which message {@link #messageTimer} times, by {@link Inbound#messagesStarted()}. */
    private long timedMessage;
    private Scheduler.Timer closeTimer;
    private Scheduler.Timer idleTimer;
    private Scheduler.Timer keepAliveTimer;

    /**
     * @param role which end this session is
     * @param config the protocol settings
     * @param agreement what the opening handshake agreed
     * @param handler receives the events
     * @param sink where outgoing bytes go
     * @param scheduler the loop thread and clock
     * @param maskKeys masking keys, for a client ({@link MaskKeySource#secure()} outside tests)
     */
    public Session(Role role, WebSocketConfig config, Agreement agreement, WebSocketHandler handler,
                   TransportSink sink, Scheduler scheduler, MaskKeySource maskKeys) {
        this.role = role;
        this.config = config;
        this.agreement = agreement;
        this.handler = handler;
        this.sink = sink;
        this.scheduler = scheduler;
        this.extensions = new ExtensionChain(agreement.extensions());
        this.encoder = new FrameEncoder(role, maskKeys);
        this.decoder = new FrameDecoder(role, config.maxFrameSize());
        this.decoder.allowRsv(extensions.rsv());
        this.inbound = new Inbound(this, handler, extensions, config);
        this.attributes = agreement.attributes().isEmpty() ? null : new ConcurrentHashMap<>(agreement.attributes());
    }

    // ---------------------------------------------------------------- transport side (loop thread)

    /**
     * Runs handler callbacks on {@code executor} instead of the loop thread, one at a time and in
     * order. Frames given to a {@link dev.weft.api.FrameObserver} are then copied first. Call
     * before {@link #start}.
     */
    public void callbackExecutor(Executor executor) {
        this.callbackExecutor = executor == null ? null : new SerialExecutor(executor);
    }

    /** Whether callbacks leave the loop thread (see {@link #callbackExecutor}). */
    boolean dispatchesCallbacks() {
        return callbackExecutor != null;
    }

    /** Counts this session's events into {@code metrics}. Call before {@link #start}. */
    public void metrics(SessionMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Charges what this session holds to {@code budget}, which may pause its reading or close it
     * (see {@link MemoryBudget}). Call before {@link #start}.
     */
    public void memoryBudget(MemoryBudget budget) {
        this.budgetShare = budget.open(new BudgetHolder());
    }

    /**
     * Reports what this session holds to its memory budget: the transport calls it after writing
     * queued bytes, so that what left the queue is given back. On the loop thread.
     */
    public void accountMemory() {
        if (state == ConnectionState.CLOSED) {
            return; // gave all back on closing; the transport lets go of the rest
        }
        long now = inbound.heldBytes() + extensions.heldBytes() + backlog.heldBytes() + sink.queuedBytes();
        if (now != heldBytes) {
            heldBytes = now;
            if (budgetShare != null) {
                budgetShare.update(now);
            }
        }
    }

    /** Opens the session and calls {@code onOpen}. Call once, before {@link #receive}. */
    public void start() {
        start(null);
    }

    /**
     * Opens a server session: counts it open, writes the handshake's response, then calls
     * {@code onOpen}. In that order, whoever has seen the client open (a thread about to
     * broadcast) finds this session open too, and the handler's first sends follow the response.
     * Call once, on the loop thread, before {@link #receive}.
     *
     * @param handshakeResponse the 101 response, or {@code null} if it was already written
     */
    public void start(ByteBuffer handshakeResponse) {
        if (state != ConnectionState.CONNECTING) {
            throw new IllegalStateException("already started");
        }
        state = ConnectionState.OPEN;
        if (handshakeResponse != null) {
            sink.write(handshakeResponse, null, null);
        }
        lastInputNanos = scheduler.nanoTime();
        if (!config.idleTimeout().isZero()) {
            idleTimer = scheduler.schedule(this::checkIdle, config.idleTimeout().toNanos());
        }
        if (!config.keepAliveInterval().isZero()) {
            keepAliveTimer = scheduler.schedule(this::keepAlive, config.keepAliveInterval().toNanos());
        }
        invoke(() -> handler.onOpen(this));
    }

    /**
     * Feeds bytes from the peer. Consumes all of {@code in}; masked payloads are unmasked in place,
     * so the buffer must be writable.
     */
    public void receive(ByteBuffer in) {
        if (state == ConnectionState.CONNECTING) {
            throw new IllegalStateException("receive before start");
        }
        if (inputClosed) {
            in.position(in.limit());
            return;
        }
        lastInputNanos = scheduler.nanoTime();
        receiving = true;
        try {
            if (!backlog.isEmpty() || inbound.decodePending()) {
                backlog.keep(in); // behind input that waits for an extension's pending output
            } else {
                decode(in);
                if (inbound.decodePending() && !inputClosed) {
                    backlog.keep(in);
                    yieldToLoop();
                }
            }
        } finally {
            receiving = false;
        }
        if (inputClosed) {
            in.position(in.limit());
        }
        afterInput();
    }

    /** After input was decoded: time the message in progress and report what is held, or let go of it all. */
    private void afterInput() {
        if (state == ConnectionState.CLOSED) {
            inbound.release();
            return;
        }
        timeMessage();
        accountMemory();
    }

    /**
     * Decodes {@code in}, or with null the next slice of an extension's pending output. A
     * violation by the peer, an extension's bug or an error (memory running out) fails this
     * connection; the transport and its other connections go on.
     */
    private void decode(ByteBuffer in) {
        try {
            if (in == null) {
                inbound.nextSlice();
            } else {
                decoder.decode(in, inbound);
            }
        } catch (WebSocketException e) {
            PeerFaultLog.closed(sink.remoteAddress(), e.closeCode(), e.getMessage());
            fail(e.closeCode(), e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            logUnexpected("reading", e);
            fail(CloseCodes.INTERNAL_ERROR, "internal error", e);
        }
    }

    private void logUnexpected(String doing, Throwable e) {
        if (e instanceof OutOfMemoryError) {
            LOG.log(outOfMemoryLogged.compareAndSet(false, true) ? ERROR : DEBUG,
                    "out of memory " + doing + " " + this + "; closing it with 1011", e);
        } else {
            LOG.log(WARNING, "unexpected failure " + doing + " " + this + "; closing with 1011", e);
        }
    }

    /**
     * An extension has more output for the last frame: stop reading and go on at a later turn of
     * the loop, so the other connections of the loop are served between slices.
     */
    private void yieldToLoop() {
        pausedForOutput = true;
        updateReading();
        scheduleContinue();
    }

    private void scheduleContinue() {
        if (!continueScheduled) {
            continueScheduled = true;
            scheduler.execute(continueDecoding);
        }
    }

    /** One slice of pending output, then (once none is left) the input that waited for it. */
    private void continueDecoding() {
        continueScheduled = false;
        if (inputClosed || pausedByBudget) {
            return; // closed: nothing more to read; paused: the budget resumes it
        }
        receiving = true;
        try {
            nextSliceThenBacklog();
        } finally {
            receiving = false;
        }
        afterInput();
    }

    private void nextSliceThenBacklog() {
        if (inbound.decodePending()) {
            decode(null);
            metrics.sliceDecoded();
        }
        if (!inputClosed && !inbound.decodePending() && !backlog.isEmpty()) {
            ByteBuffer rest = backlog.view();
            decode(rest);
            backlog.consumed(rest);
        }
        if (!inputClosed && inbound.decodePending()) {
            scheduleContinue();
        } else {
            backlog.clear();
            pausedForOutput = false;
            updateReading();
            if (endAfterBacklog) {
                endOfInput();
            }
        }
    }

    private void updateReading() {
        if (state != ConnectionState.CLOSED) {
            sink.pauseReading(pausedByUser || pausedByBudget || pausedForOutput);
        }
    }

    /** What the memory budget asks of this session; it asks from any thread. */
    private final class BudgetHolder implements MemoryBudget.Holder {
        @Override
        public void pauseForBudget(boolean paused) {
            scheduler.execute(() -> {
                pausedByBudget = paused;
                updateReading();
                if (!paused && pausedForOutput) {
                    scheduleContinue();
                }
            });
        }

        @Override
        public void evict(int code, String reason) {
            scheduler.execute(() -> {
                PeerFaultLog.closed(sink.remoteAddress(), code, reason);
                fail(code, reason, new WebSocketException(code, reason));
            });
        }
    }

    /** The peer closed its side of the connection (end of stream). */
    public void endOfInput() {
        if (pausedForOutput && !inputClosed) {
            endAfterBacklog = true; // the input before the end is decoded first
            return;
        }
        inputEnded = true;
        inputClosed = true;
        if (state == ConnectionState.CLOSED) {
            // A client waiting for the server to close TCP after the close handshake.
            cancel(closeTimer);
            sink.close();
        } else {
            enterClosed(CloseCodes.ABNORMAL_CLOSURE, "the connection ended without a close frame", false);
        }
    }

    /** The transport failed (an I/O error): reports it and closes with 1006. */
    public void transportFailed(Throwable cause) {
        inputClosed = true;
        reportError(cause);
        enterClosed(CloseCodes.ABNORMAL_CLOSURE, cause.toString(), true);
    }

    // ---------------------------------------------------------------- Connection (any thread)

    @Override
    public CompletableFuture<Void> sendText(CharSequence text) {
        return sendText(text, true, false);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        return sendData(Opcode.BINARY, data.slice(), true, false);
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence part, boolean last) {
        if (Utf8Encoder.endsWithHighSurrogate(part)) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("a text part must end on a whole code point, not a high surrogate"));
        }
        return sendText(part, last, true);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer part, boolean last) {
        return sendData(Opcode.BINARY, part.slice(), last, true);
    }

    @Override
    public CompletableFuture<Void> sendFrame(Frame frame) {
        if (frame.opcode().isControl()) {
            String problem = controlProblem(frame.payloadLength());
            if (problem == null && !frame.fin()) {
                problem = "a control frame cannot be fragmented";
            }
            if (problem != null) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(problem));
            }
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        onLoop(() -> {
            if (refuseUnlessOpen(written)) {
                return;
            }
            writeFrame(frame.fin(), frame.rsv(), frame.opcode(), frame.payload(), written);
            if (frame.opcode() == Opcode.CLOSE) {
                startClosing();
            }
        });
        return written;
    }

    @Override
    public CompletableFuture<Void> ping(ByteBuffer data) {
        return sendControl(Opcode.PING, data);
    }

    @Override
    public CompletableFuture<Void> pong(ByteBuffer data) {
        return sendControl(Opcode.PONG, data);
    }

    @Override
    public CompletableFuture<Void> close(int code, String reason) {
        // "Endpoints MUST NOT send" codes reserved for local use (RFC 6455 §7.4.1)
        if (!CloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " cannot be sent");
        }
        ByteBuffer body = CloseFrame.body(code, CloseFrame.encodeReason(reason));
        CompletableFuture<Void> written = new CompletableFuture<>();
        onLoop(() -> {
            if (state != ConnectionState.OPEN) {
                // Already closing: the handshake under way decides the outcome.
                written.complete(null);
                return;
            }
            writeFrame(true, 0, Opcode.CLOSE, body, written);
            startClosing();
        });
        return written;
    }

    @Override
    public void abort() {
        onLoop(() -> enterClosed(CloseCodes.ABNORMAL_CLOSURE, "aborted", true));
    }

    @Override
    public ConnectionState state() {
        return state;
    }

    @Override
    public Optional<String> subprotocol() {
        return Optional.ofNullable(agreement.subprotocol());
    }

    @Override
    public List<ExtensionParameters> extensions() {
        return extensions.parameters();
    }

    @Override
    public SocketAddress remoteAddress() {
        return sink.remoteAddress();
    }

    @Override
    public HandshakeRequest handshakeRequest() {
        return agreement.request();
    }

    @Override
    public ConcurrentMap<String, Object> attributes() {
        ConcurrentMap<String, Object> map = attributes;
        if (map == null) {
            synchronized (this) {
                map = attributes;
                if (map == null) {
                    attributes = map = new ConcurrentHashMap<>();
                }
            }
        }
        return map;
    }

    @Override
    public long queuedBytes() {
        return sink.queuedBytes();
    }

    @Override
    public boolean isWritable() {
        return sink.isWritable();
    }

    @Override
    public long heldBytes() {
        return heldBytes;
    }

    @Override
    public void pauseReading() {
        onLoop(() -> {
            pausedByUser = true;
            updateReading();
        });
    }

    @Override
    public void resumeReading() {
        onLoop(() -> {
            pausedByUser = false;
            updateReading();
        });
    }

    /**
     * Into how many frames extensions cut the last data message received: its wire frames, or more
     * when an extension handed its output back in slices (see
     * {@link dev.weft.api.extension.Extension#hasPendingOutput()}).
     */
    public int decodedSlices() {
        return inbound.slices();
    }

    /**
     * Encodes a whole data message into one frame, header and payload, as this server session
     * would send it, but without touching the session's own state: extensions encode it with
     * {@linkplain ExtensionChain#newEncoders() new encoders}. A broadcast encodes a message this way
     * once and {@linkplain #sendEncoded sends} the bytes to every recipient that
     * {@linkplain #acceptsEncodedFrames() accepts encoded frames} and agreed equal
     * {@linkplain #extensions() extensions}. Any thread.
     *
     * @param opcode {@link Opcode#TEXT} (with valid UTF-8) or {@link Opcode#BINARY}
     * @param payload the message, not changed
     * @return the frame, read-only
     * @throws IllegalStateException unless {@link #acceptsEncodedFrames()}
     */
    public ByteBuffer encodeShared(Opcode opcode, ByteBuffer payload) {
        if (!acceptsEncodedFrames()) {
            throw new IllegalStateException("only a server whose extensions keep no history can share frames");
        }
        Frame frame = new Frame(true, 0, opcode, payload.duplicate());
        if (!extensions.isEmpty()) {
            try (ExtensionChain encoders = extensions.newEncoders()) {
                frame = encoders.encode(frame);
            }
        }
        ByteBuffer body = frame.payload();
        ByteBuffer head = encoder.encode(FrameEncoder.firstByte(frame.fin(), frame.rsv(), frame.opcode().code()), body);
        return ByteBuffer.allocate(head.remaining() + body.remaining())
                .put(head).put(body.duplicate()).flip().asReadOnlyBuffer();
    }

    /**
     * Sends a frame made by {@link #encodeShared} on this session or on another with equal
     * extensions. Refused unless the session accepts encoded frames, is open, and is not streaming
     * a message of its own (as any other send would be).
     *
     * @param frame the whole frame; read, never changed (pass each recipient its own duplicate)
     */
    public CompletableFuture<Void> sendEncoded(ByteBuffer frame) {
        if (!acceptsEncodedFrames()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "pre-encoded frames need a server session whose extensions keep no history"));
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        onLoop(() -> {
            if (refuseUnlessOpen(written)) {
                return;
            }
            if (streaming != null) {
                written.completeExceptionally(new IllegalStateException("a streamed message is in progress"));
                return;
            }
            sink.write(frame, null, written);
        });
        return written;
    }

    /**
     * Whether {@link #sendEncoded} can take frames for this session: a server (whose frames are
     * not masked) whose every extension encodes each message without reference to earlier ones.
     */
    public boolean acceptsEncodedFrames() {
        return role == Role.SERVER && extensions.encodesWithoutHistory();
    }

    /**
     * The transport's write queue drained below its low watermark after passing its high one:
     * tells the handler. Called on the loop thread.
     */
    public void writable() {
        if (state == ConnectionState.OPEN || state == ConnectionState.CLOSING) {
            invoke(() -> handler.onWritable(this));
        }
    }

    @Override
    public String toString() {
        return "Session[" + role + " " + state + " " + sink.remoteAddress() + "]";
    }

    // ---------------------------------------------------------------- inbound events (loop thread)

    /** When the last input arrived, on the scheduler's clock. */
    long lastInputNanos() {
        return lastInputNanos;
    }

    /** Whether input is no longer read; checked by {@link Inbound} after every frame. */
    boolean inputClosed() {
        return inputClosed;
    }

    /** A control frame arrived, whole; {@code payload} is only valid during the call. */
    void onControlFrame(Opcode opcode, ByteBuffer payload) {
        switch (opcode) {
            case PING -> {
                if (config.autoPong() && !closeSent) {
                    answerPing(payload);
                }
                ByteBuffer data = copy(payload);
                invoke(() -> handler.onPing(this, data));
            }
            case PONG -> {
                ByteBuffer data = copy(payload);
                invoke(() -> handler.onPong(this, data));
            }
            case CLOSE -> onCloseFrame(CloseFrame.parse(payload));
            default -> throw new IllegalArgumentException(opcode + " is not a control opcode");
        }
    }

    /**
     * Runs a handler callback, here or on the callback executor; an exception from it fails the
     * connection with 1011.
     */
    void invoke(Runnable callback) {
        if (callbackExecutor == null) {
            try {
                callback.run();
            } catch (Throwable t) {
                handlerFailed(t);
            }
        } else {
            callbackExecutor.execute(() -> {
                try {
                    callback.run();
                } catch (Throwable t) {
                    onLoop(() -> handlerFailed(t));
                }
            });
        }
    }

    /**
     * Runs {@code callback} with this session and {@code argument}, like {@link #invoke(Runnable)}.
     * On the loop thread nothing is allocated: the per-message path (a callback made once per
     * connection, a payload) stays free of garbage.
     */
    <T> void invoke(BiConsumer<? super Session, T> callback, T argument) {
        if (callbackExecutor == null) {
            try {
                callback.accept(this, argument);
            } catch (Throwable t) {
                handlerFailed(t);
            }
        } else {
            invoke(() -> callback.accept(this, argument));
        }
    }

    /** Runs a final callback (onError, onClose): an exception from it can only be logged. */
    private void notify(String what, Runnable callback) {
        Runnable guarded = () -> {
            try {
                callback.run();
            } catch (Throwable t) {
                LOG.log(WARNING, what + " threw on " + this, t);
            }
        };
        if (callbackExecutor == null) {
            guarded.run();
        } else {
            callbackExecutor.execute(guarded);
        }
    }

    /** Counts a message that reached the handler. */
    void messageReceived() {
        metrics.messageReceived();
    }

    private void onCloseFrame(CloseFrame close) {
        inputClosed = true;
        if (!closeSent) {
            // "If an endpoint receives a Close frame and did not previously send a Close frame, the
            // endpoint MUST send a Close frame in response. ... it typically echos the status code it
            // received." (RFC 6455 §5.5.1)
            ByteBuffer echo = close.code() == CloseCodes.NO_STATUS_RECEIVED
                    ? ByteBuffer.allocate(0) : CloseFrame.body(close.code(), new byte[0]);
            closeSent = true;
            writeFrame(true, 0, Opcode.CLOSE, echo, null);
        }
        enterClosed(close.code(), close.reason(), false);
    }

    private void answerPing(ByteBuffer payload) {
        if (pongInFlight) {
            // "If an endpoint receives a Ping frame and has not yet sent Pong frame(s) in response
            // to previous Ping frame(s), the endpoint MAY elect to send a Pong frame for only the
            // most recently processed Ping frame." (RFC 6455 §5.5.3) This keeps a ping flood from
            // growing the write queue.
            pendingPong = copy(payload);
            return;
        }
        pongInFlight = true;
        CompletableFuture<Void> written = new CompletableFuture<>();
        writeFrame(true, 0, Opcode.PONG, copy(payload), written);
        written.whenComplete((ok, error) -> pongWritten());
    }

    private void pongWritten() {
        pongInFlight = false;
        ByteBuffer next = pendingPong;
        pendingPong = null;
        if (next != null && !closeSent && state != ConnectionState.CLOSED) {
            answerPing(next);
        }
    }

    // ---------------------------------------------------------------- failures and closing

    /** A handler callback threw: fails the connection with 1011. */
    private void handlerFailed(Throwable t) {
        LOG.log(WARNING, "handler failed on " + this + "; closing with 1011", t);
        fail(CloseCodes.INTERNAL_ERROR, "internal error", t);
    }

    /** Fails the connection (RFC 6455 §7.1.7): a close frame with {@code code}, then CLOSED. */
    private void fail(int code, String reason, Throwable cause) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        LOG.log(DEBUG, () -> "failing " + this + " with " + code + ": " + reason);
        metrics.failed(code);
        inputClosed = true;
        reportError(cause);
        if (!closeSent) {
            // Set first: if writing fails (an extension throws), the nested failure must not write again.
            closeSent = true;
            writeFrame(true, 0, Opcode.CLOSE, CloseFrame.body(code, CloseFrame.fitReason(reason)), null);
        }
        enterClosed(code, reason, false);
    }

    private void reportError(Throwable cause) {
        if (errorReported) {
            return;
        }
        errorReported = true;
        notify("onError", () -> handler.onError(this, cause));
    }

    private void startClosing() {
        closeSent = true;
        state = ConnectionState.CLOSING;
        closeTimer = scheduler.schedule(this::closeTimedOut, config.closeTimeout().toNanos());
    }

    private void closeTimedOut() {
        if (state != ConnectionState.CLOSED) {
            enterClosed(CloseCodes.ABNORMAL_CLOSURE, "no close frame within the close timeout", true);
        } else {
            // A client that waited in vain for the server to close TCP.
            sink.close();
        }
    }

    private void enterClosed(int code, String reason, boolean abortTransport) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        state = ConnectionState.CLOSED;
        inputClosed = true;
        // Counted before the transport closes, so whoever sees the close also sees it counted.
        metrics.closed(code);
        cancel(closeTimer);
        cancel(idleTimer);
        cancel(keepAliveTimer);
        cancel(messageTimer);
        extensions.close();
        if (!receiving) {
            inbound.release(); // else once the read is over: the inbound side may be mid-frame
        }
        backlog.clear();
        heldBytes = 0;
        if (budgetShare != null) {
            budgetShare.close();
        }
        if (abortTransport) {
            sink.abort();
        } else if (role == Role.SERVER || inputEnded) {
            // "the underlying TCP connection, in most normal cases, SHOULD be closed first by the
            // server" (RFC 6455 §7.1.1)
            sink.close();
        } else {
            closeTimer = scheduler.schedule(this::closeTimedOut, config.closeTimeout().toNanos());
        }
        notify("onClose", () -> handler.onClose(this, code, reason));
    }

    // ---------------------------------------------------------------- timers

    private void checkIdle() {
        long idle = config.idleTimeout().toNanos();
        long silent = scheduler.nanoTime() - lastInputNanos;
        if (silent >= idle) {
            enterClosed(CloseCodes.ABNORMAL_CLOSURE, "idle timeout", true);
        } else {
            idleTimer = scheduler.schedule(this::checkIdle, idle - silent);
        }
    }

    /** Times the data message in progress, unless a timer already runs for it. */
    private void timeMessage() {
        if (messageTimer == null && inbound.timesMessages() && inbound.messageInProgress()
                && state != ConnectionState.CLOSED) {
            timedMessage = inbound.messagesStarted();
            long left = inbound.messageStartNanos() + config.messageTimeout().toNanos() - scheduler.nanoTime();
            messageTimer = scheduler.schedule(this::checkMessage, left);
        }
    }

    private void checkMessage() {
        messageTimer = null;
        if (state == ConnectionState.CLOSED || inputClosed) {
            return;
        }
        if (inbound.messageInProgress() && inbound.messagesStarted() == timedMessage) {
            String reason = "a message took longer than the message timeout of " + config.messageTimeout().toSeconds() + " s";
            PeerFaultLog.closed(sink.remoteAddress(), CloseCodes.POLICY_VIOLATION, reason);
            fail(CloseCodes.POLICY_VIOLATION, reason, new WebSocketException(CloseCodes.POLICY_VIOLATION, reason));
        } else {
            timeMessage(); // a later message is in progress: timed from its own start
        }
    }

    private void keepAlive() {
        if (state == ConnectionState.OPEN) {
            writeFrame(true, 0, Opcode.PING, ByteBuffer.allocate(0), null);
            keepAliveTimer = scheduler.schedule(this::keepAlive, config.keepAliveInterval().toNanos());
        }
    }

    private static void cancel(Scheduler.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    // ---------------------------------------------------------------- sending

    /** Encodes on the calling thread, so that a sender pays for its own encoding. */
    private CompletableFuture<Void> sendText(CharSequence text, boolean last, boolean streamed) {
        ByteBuffer payload;
        try {
            payload = ByteBuffer.wrap(Utf8Encoder.encode(text));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sendData(Opcode.TEXT, payload, last, streamed);
    }

    private CompletableFuture<Void> sendData(Opcode opcode, ByteBuffer payload, boolean last, boolean streamed) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        onLoop(() -> {
            if (refuseUnlessOpen(written)) {
                return;
            }
            Opcode wire = opcode;
            if (streaming != null) {
                if (!streamed || streaming != opcode) {
                    written.completeExceptionally(new IllegalStateException(
                            "a streamed " + streaming + " message is in progress: finish it with last = true first"));
                    return;
                }
                wire = Opcode.CONTINUATION;
            }
            streaming = streamed && !last ? opcode : null;
            writeFrame(last, 0, wire, payload, written);
        });
        return written;
    }

    private CompletableFuture<Void> sendControl(Opcode opcode, ByteBuffer data) {
        ByteBuffer payload = data == null ? ByteBuffer.allocate(0) : data.slice();
        String problem = controlProblem(payload.remaining());
        if (problem != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(problem));
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        onLoop(() -> {
            if (!refuseUnlessOpen(written)) {
                writeFrame(true, 0, opcode, payload, written);
            }
        });
        return written;
    }

    private static String controlProblem(int length) {
        // "All control frames MUST have a payload length of 125 bytes or less" (RFC 6455 §5.5)
        return length > 125 ? "a control frame payload takes at most 125 bytes: " + length : null;
    }

    private boolean refuseUnlessOpen(CompletableFuture<Void> written) {
        if (state == ConnectionState.OPEN) {
            return false;
        }
        written.completeExceptionally(new IllegalStateException("cannot send: the connection is " + state));
        return true;
    }

    private void writeFrame(boolean fin, int rsv, Opcode opcode, ByteBuffer payload, CompletableFuture<Void> written) {
        if (!extensions.isEmpty()) {
            Frame frame;
            try {
                frame = extensions.encode(new Frame(fin, rsv, opcode, payload));
            } catch (RuntimeException e) {
                if (written != null) {
                    written.completeExceptionally(e);
                }
                LOG.log(WARNING, "an extension failed to encode on " + this + "; closing with 1011", e);
                fail(CloseCodes.INTERNAL_ERROR, "internal error", e);
                return;
            }
            fin = frame.fin();
            rsv = frame.rsv();
            opcode = frame.opcode();
            payload = frame.payload();
        }
        ByteBuffer head = encoder.encode(FrameEncoder.firstByte(fin, rsv, opcode.code()), payload);
        sink.write(head, encoder.masks() || !payload.hasRemaining() ? null : payload, written);
        if (!receiving) {
            accountMemory(); // within a read, the read accounts once at its end
        }
    }

    private void onLoop(Runnable action) {
        if (scheduler.inEventLoop()) {
            action.run();
        } else {
            scheduler.execute(action);
        }
    }

    private static ByteBuffer copy(ByteBuffer src) {
        byte[] bytes = new byte[src.remaining()];
        src.get(src.position(), bytes);
        return ByteBuffer.wrap(bytes);
    }
}
