package dev.weft.api.reconnect;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.Frame;
import dev.weft.api.WebSocketException;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.HandshakeResponse;

import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * A client connection that a {@link Reconnect} policy opens again each time it drops: one
 * {@code Connection} the application keeps, over a succession of real ones.
 *
 * <h2>What the handler sees</h2>
 * One connection, this one: {@code onOpen} once, when the first real connection opens; the
 * messages, pings, pongs and {@code onWritable} of every real connection in turn; and
 * {@code onError} (at most once) and {@code onClose} once, at the very end — when the application
 * closes, when the server closes with a code that means "do not come back", or when the policy gives
 * up (then {@code onError} carries the last failure and {@code onClose} reports
 * {@link CloseCodes#ABNORMAL_CLOSURE}). Drops in between are not reported to the handler: the
 * policy's {@link Reconnect.AttemptListener} hears of them, and its
 * {@linkplain Reconnect.Builder#onReconnect reconnect hook} is called on each new connection before
 * its first message reaches the handler. Whole messages only: a handler's
 * {@link dev.weft.api.PartialMessageHandler} or {@link dev.weft.api.FrameObserver} side is not used.
 *
 * <h2>Sends while disconnected</h2>
 * They fail at once: the future completes exceptionally with {@link IllegalStateException}, and
 * nothing is kept for later. Messages sent just before a drop are lost as well, and no buffer could
 * say which; what the application must say again to a new connection (subscriptions, the last
 * position it saw) it says in the reconnect hook, where the new connection is already open.
 * {@link #state()} is {@link ConnectionState#CONNECTING} meanwhile.
 *
 * <h2>Closing</h2>
 * {@link #close(int, String)} and {@link #abort()} end it for good: on the open connection as
 * usual, or, between connections, at once — no attempt is made after, the handler's
 * {@code onClose} runs on the calling thread with the code and reason given (1006 for an abort), and a
 * connection that an attempt under way opens later is closed unseen.
 *
 * <p>Thread-safe. {@link #attributes()} belong to this connection and so outlive each real one;
 * {@link #subprotocol()}, {@link #extensions()}, {@link #remoteAddress()} and
 * {@link #handshakeRequest()} and {@link #handshakeResponse()} are those of the latest real connection.
 */
public final class ReconnectingConnection implements Connection {

    private final Reconnect policy;
    private final Reconnect.Connector connector;
    private final WebSocketHandler handler;
    private final CompletableFuture<ReconnectingConnection> firstOpen = new CompletableFuture<>();
    private final ConcurrentMap<String, Object> attributes = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    /** The open connection; null between connections. */
    private volatile Connection current;
    /** The latest connection that opened. */
    private volatile Connection latest;
    // Guarded by lock.
    private int failedAttempts;
    private boolean closing;
    private volatile boolean finished;
    private boolean paused;

    ReconnectingConnection(Reconnect policy, Reconnect.Connector connector, WebSocketHandler handler) {
        this.policy = policy;
        this.connector = connector;
        this.handler = handler;
    }

    /** Makes the first attempt; the result has the connector's future type. */
    CompletableFuture<ReconnectingConnection> start() {
        CompletableFuture<ReconnectingConnection> result = dial().newIncompleteFuture();
        firstOpen.whenComplete((c, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(c);
            }
        });
        return result;
    }

    private CompletableFuture<? extends Connection> dial() {
        CompletableFuture<? extends Connection> dialed;
        try {
            dialed = connector.connect(new Link());
        } catch (RuntimeException e) {
            dialed = CompletableFuture.failedFuture(e);
        }
        dialed.whenComplete((c, failure) -> {
            if (failure != null) {
                attemptFailed(unwrap(failure));
            }
        });
        return dialed;
    }

    /** The failure itself, out of the wrappers that futures and lambdas put around it. */
    private static Throwable unwrap(Throwable failure) {
        while ((failure instanceof CompletionException || failure instanceof UncheckedIOException)
                && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }

    private void opened(Connection connection) {
        boolean first;
        boolean pause;
        boolean unwanted;
        synchronized (lock) {
            // Closed by the application while this attempt was under way.
            unwanted = finished;
            if (!unwanted) {
                current = connection;
                latest = connection;
                failedAttempts = 0;
            }
            first = !firstOpen.isDone();
            pause = paused;
        }
        if (unwanted) {
            connection.close(CloseCodes.NORMAL_CLOSURE, "");
            return;
        }
        if (pause) {
            connection.pauseReading();
        }
        if (first) {
            handler.onOpen(this);
            firstOpen.complete(this);
        } else {
            policy.reconnected(this);
        }
    }

    private void dropped(Connection connection, int code, String reason, Throwable error) {
        boolean end;
        synchronized (lock) {
            if (current == connection) {
                current = null;
            }
            if (finished) {
                return;
            }
            end = closing || policy.isFinal(code);
            finished = end;
        }
        if (end) {
            if (error != null) {
                handler.onError(this, error);
            }
            handler.onClose(this, code, reason);
        } else {
            retry(error != null ? error : new WebSocketException(code,
                    "closed with " + CloseCodes.describe(code) + (reason.isEmpty() ? "" : ": " + reason)));
        }
    }

    private void attemptFailed(Throwable failure) {
        if (Reconnect.isFinal(failure)) {
            giveUp(failure);
        } else {
            retry(failure);
        }
    }

    private void retry(Throwable cause) {
        int attempt;
        synchronized (lock) {
            if (finished) {
                return;
            }
            attempt = ++failedAttempts;
        }
        if (policy.exhausted(attempt)) {
            giveUp(cause);
            return;
        }
        Duration delay = policy.delay(attempt);
        policy.attempting(attempt, delay, cause);
        policy.schedule(() -> {
            if (!finished) {
                dial();
            }
        }, delay);
    }

    private void giveUp(Throwable cause) {
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
        }
        if (!firstOpen.isDone()) {
            firstOpen.completeExceptionally(cause);
            return;
        }
        handler.onError(this, cause);
        handler.onClose(this, CloseCodes.ABNORMAL_CLOSURE, "gave up reconnecting: " + cause);
    }

    /** Ends it for good; returns the open connection to close, or null if there was none (the handler was told). */
    private Connection end(int code, String reason) {
        Connection open;
        synchronized (lock) {
            if (finished) {
                return null;
            }
            closing = true;
            open = current;
            finished = open == null;
        }
        if (open == null) {
            handler.onClose(this, code, reason);
        }
        return open;
    }

    private CompletableFuture<Void> send(Function<Connection, CompletableFuture<Void>> send) {
        Connection open = current;
        if (open == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    finished ? "the connection is closed" : "not connected: reconnecting"));
        }
        return send.apply(open);
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence text) {
        return send(c -> c.sendText(text));
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        return send(c -> c.sendBinary(data));
    }

    @Override
    public CompletableFuture<Void> sendUtf8Text(ByteBuffer utf8) {
        return send(c -> c.sendUtf8Text(utf8));
    }

    /** {@inheritDoc} False also while reconnecting, when there is no connection to send on. */
    @Override
    public boolean trySendText(CharSequence text) {
        Connection open = current;
        return open != null && open.trySendText(text);
    }

    /** {@inheritDoc} False also while reconnecting, when there is no connection to send on. */
    @Override
    public boolean trySendBinary(ByteBuffer data) {
        Connection open = current;
        return open != null && open.trySendBinary(data);
    }

    /** {@inheritDoc} False also while reconnecting, when there is no connection to send on. */
    @Override
    public boolean trySendUtf8Text(ByteBuffer utf8) {
        Connection open = current;
        return open != null && open.trySendUtf8Text(utf8);
    }

    /**
     * {@inheritDoc} A message streamed in parts must end on the connection it started on: a part
     * sent to a new connection fails there, as a continuation without a start.
     */
    @Override
    public CompletableFuture<Void> sendText(CharSequence part, boolean last) {
        return send(c -> c.sendText(part, last));
    }

    /** {@inheritDoc} See {@link #sendText(CharSequence, boolean)} about a drop in the middle. */
    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer part, boolean last) {
        return send(c -> c.sendBinary(part, last));
    }

    @Override
    public CompletableFuture<Void> sendFrame(Frame frame) {
        return send(c -> c.sendFrame(frame));
    }

    @Override
    public CompletableFuture<Void> ping(ByteBuffer data) {
        return send(c -> c.ping(data));
    }

    @Override
    public CompletableFuture<Void> pong(ByteBuffer data) {
        return send(c -> c.pong(data));
    }

    /** {@inheritDoc} Between connections, ends reconnecting at once; see the class documentation. */
    @Override
    public CompletableFuture<Void> close(int code, String reason) {
        if (!CloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " cannot be sent");
        }
        Connection open = end(code, reason);
        return open != null ? open.close(code, reason) : CompletableFuture.completedFuture(null);
    }

    /** {@inheritDoc} Between connections, ends reconnecting at once; see the class documentation. */
    @Override
    public void abort() {
        Connection open = end(CloseCodes.ABNORMAL_CLOSURE, "");
        if (open != null) {
            open.abort();
        }
    }

    /**
     * The open connection's state; {@link ConnectionState#CONNECTING} between connections (so,
     * unlike a single connection's, it goes back), {@link ConnectionState#CLOSED} once it has ended.
     */
    @Override
    public ConnectionState state() {
        Connection open = current;
        return open != null ? open.state() : finished ? ConnectionState.CLOSED : ConnectionState.CONNECTING;
    }

    @Override
    public Optional<String> subprotocol() {
        return latest.subprotocol();
    }

    @Override
    public List<ExtensionParameters> extensions() {
        return latest.extensions();
    }

    @Override
    public SocketAddress remoteAddress() {
        return latest.remoteAddress();
    }

    @Override
    public HandshakeRequest handshakeRequest() {
        return latest.handshakeRequest();
    }

    @Override
    public HandshakeResponse handshakeResponse() {
        return latest.handshakeResponse();
    }

    @Override
    public ConcurrentMap<String, Object> attributes() {
        return attributes;
    }

    @Override
    public long queuedBytes() {
        Connection open = current;
        return open != null ? open.queuedBytes() : 0;
    }

    @Override
    public long heldBytes() {
        Connection open = current;
        return open != null ? open.heldBytes() : 0;
    }

    /** {@inheritDoc} False between connections. */
    @Override
    public boolean isWritable() {
        Connection open = current;
        return open != null && open.isWritable();
    }

    /** {@inheritDoc} A connection opened while paused starts paused. */
    @Override
    public void pauseReading() {
        Connection open;
        synchronized (lock) {
            paused = true;
            open = current;
        }
        if (open != null) {
            open.pauseReading();
        }
    }

    @Override
    public void resumeReading() {
        Connection open;
        synchronized (lock) {
            paused = false;
            open = current;
        }
        if (open != null) {
            open.resumeReading();
        }
    }

    @Override
    public String toString() {
        Connection open = current;
        return "reconnecting " + (open != null ? open : state());
    }

    /** The handler of one real connection: hands its events on as this connection's. */
    private final class Link implements WebSocketHandler {
        private Throwable error;

        @Override
        public void onOpen(Connection connection) {
            opened(connection);
        }

        @Override
        public void onText(Connection connection, String text) {
            handler.onText(ReconnectingConnection.this, text);
        }

        @Override
        public void onBinary(Connection connection, ByteBuffer data) {
            handler.onBinary(ReconnectingConnection.this, data);
        }

        @Override
        public void onPing(Connection connection, ByteBuffer data) {
            handler.onPing(ReconnectingConnection.this, data);
        }

        @Override
        public void onPong(Connection connection, ByteBuffer data) {
            handler.onPong(ReconnectingConnection.this, data);
        }

        @Override
        public void onWritable(Connection connection) {
            handler.onWritable(ReconnectingConnection.this);
        }

        @Override
        public void onError(Connection connection, Throwable error) {
            this.error = error;
        }

        @Override
        public void onClose(Connection connection, int code, String reason) {
            dropped(connection, code, reason, error);
        }
    }
}
