package dev.weft.api.reconnect;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeException;

import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * How a client comes back after its connection drops: when to try again, how often, and when to
 * stop. It works with any transport, through a {@link Connector} that opens one connection; each
 * client has a {@code connect} overload that takes a {@code Reconnect}.
 *
 * <pre>{@code
 * Reconnect reconnect = Reconnect.builder()
 *         .backoff(Duration.ofMillis(500), Duration.ofSeconds(30))
 *         .onAttempt((attempt, delay, cause) -> log.info("reconnecting #" + attempt + " in " + delay + ": " + cause))
 *         .onReconnect(connection -> connection.sendText("{\"subscribe\":\"prices\"}"))
 *         .build();
 * ReconnectingConnection c = client.connect(uri, Headers.empty(), handler, reconnect).get();
 * }</pre>
 *
 * <h2>When</h2>
 * The first attempt is made at once. After a failed attempt or a dropped connection, attempt
 * {@code n} (counted from 1 since the last open connection) waits a delay drawn uniformly from
 * {@code [0, min(max, initial × 2^(n-1)))}: exponential backoff with "full jitter", so that many
 * clients dropped together by one server restart do not all come back at the same instant.
 *
 * <h2>When not</h2>
 * It gives up, and the application's handler sees {@code onClose} (or the first open's future
 * fails): after {@link Builder#maxAttempts(int) maxAttempts} failed attempts in a row, if set; when
 * the server closes with a code that means "do not come back" — {@link CloseCodes#UNSUPPORTED_DATA}
 * (1003), {@link CloseCodes#POLICY_VIOLATION} (1008) and the codes named with
 * {@link Builder#giveUpOn(int...)}; and when an attempt fails in a way that trying again cannot
 * change: the server answered the upgrade with an HTTP 3xx (a redirect not followed) or 4xx status
 * ({@link HandshakeException#status()}), or the request itself is wrong
 * ({@link IllegalArgumentException}: a bad URI or header; {@link IllegalStateException}: the client
 * was shut down). Every other failure — refused or reset TCP, a timeout, an HTTP 5xx, a close with
 * 1001, 1006, 1011, 1012 or 1013 — is tried again.
 *
 * <p>Immutable and thread-safe: one policy may serve many connections (they then share its random
 * generator and its listener).
 */
public final class Reconnect {

    private final long initialNanos;
    private final long maxNanos;
    private final int maxAttempts;
    private final Set<Integer> finalCloseCodes;
    private final AttemptListener listener;
    private final Consumer<? super Connection> onReconnect;
    private final Timer timer;
    private final RandomGenerator random;

    private Reconnect(Builder b) {
        this.initialNanos = b.initial.toNanos();
        this.maxNanos = b.max.toNanos();
        this.maxAttempts = b.maxAttempts;
        this.finalCloseCodes = Set.copyOf(b.finalCloseCodes);
        this.listener = b.listener;
        this.onReconnect = b.onReconnect;
        this.timer = b.timer;
        this.random = b.random;
    }

    /** A builder, with the defaults each of its methods names. */
    public static Builder builder() {
        return new Builder();
    }

    /** The default policy: 500 ms growing to 30 s, no limit on attempts, no listener, no hook. */
    public static Reconnect defaults() {
        return builder().build();
    }

    /**
     * Opens a connection through {@code connector} and keeps it open, as this policy says.
     *
     * @param connector opens one connection, handing it the handler it is given
     * @param handler the application's handler; see {@link ReconnectingConnection} for what it sees
     * @return completes with the connection once the first attempt that succeeds has called
     *     {@code onOpen}, or fails with the cause if the policy gave up before any did. A transport's
     *     own future type is kept: waiting on the NIO client's future from an event loop fails at once.
     */
    public CompletableFuture<ReconnectingConnection> connect(Connector connector, WebSocketHandler handler) {
        return new ReconnectingConnection(this, Objects.requireNonNull(connector), Objects.requireNonNull(handler))
                .start();
    }

    /**
     * The delay before attempt {@code attempt} (1 for the first after a drop or a failure): uniform
     * in {@code [0, min(max, initial × 2^(attempt-1)))}.
     */
    Duration delay(int attempt) {
        int doublings = Math.min(attempt - 1, 62);
        long ceiling = initialNanos > maxNanos >> doublings ? maxNanos : initialNanos << doublings;
        return Duration.ofNanos((long) (random.nextDouble() * ceiling));
    }

    /** Whether {@code attempt} failed attempts in a row are too many. */
    boolean exhausted(int attempt) {
        return maxAttempts > 0 && attempt > maxAttempts;
    }

    /** Whether a server that closed with {@code code} should not be tried again. */
    boolean isFinal(int code) {
        return code == CloseCodes.UNSUPPORTED_DATA || code == CloseCodes.POLICY_VIOLATION
                || finalCloseCodes.contains(code);
    }

    /** Whether an attempt that failed with {@code failure} would fail the same way if tried again. */
    static boolean isFinal(Throwable failure) {
        if (failure instanceof HandshakeException refused) {
            return refused.status() >= 300 && refused.status() < 500;
        }
        return failure instanceof IllegalArgumentException || failure instanceof IllegalStateException;
    }

    void attempting(int attempt, Duration delay, Throwable cause) {
        listener.onAttempt(attempt, delay, cause);
    }

    void reconnected(Connection connection) {
        onReconnect.accept(connection);
    }

    void schedule(Runnable task, Duration delay) {
        timer.schedule(task, delay);
    }

    /** Opens one connection. */
    @FunctionalInterface
    public interface Connector {
        /**
         * Starts opening a connection that reports to {@code handler}.
         *
         * @return completes once the connection is open ({@code handler.onOpen} has been called),
         *     or exceptionally with why it could not be opened ({@code CompletionException} and
         *     {@code UncheckedIOException} wrappers are looked through)
         */
        CompletableFuture<? extends Connection> connect(WebSocketHandler handler);
    }

    /** Told about each attempt before its delay starts. */
    @FunctionalInterface
    public interface AttemptListener {
        /**
         * Called on the thread that saw the drop or the failure (a connection's thread), so it must
         * not block.
         *
         * @param attempt the attempt's number, from 1 since the last open connection
         * @param delay how long it waits before the attempt
         * @param cause why: the failure of the previous attempt, the connection's error, or a
         *     {@link dev.weft.api.WebSocketException} carrying the close code it was closed with
         */
        void onAttempt(int attempt, Duration delay, Throwable cause);
    }

    /** Runs the attempts after their delays. */
    @FunctionalInterface
    public interface Timer {
        /** Runs {@code task} once, on any thread, after {@code delay}. */
        void schedule(Runnable task, Duration delay);
    }

    /** Builds a {@link Reconnect}. Not thread-safe. */
    public static final class Builder {
        private Duration initial = Duration.ofMillis(500);
        private Duration max = Duration.ofSeconds(30);
        private int maxAttempts;
        private final Set<Integer> finalCloseCodes = new HashSet<>();
        private AttemptListener listener = (attempt, delay, cause) -> { };
        private Consumer<? super Connection> onReconnect = connection -> { };
        private Timer timer = (task, delay) ->
                CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS).execute(task);
        private RandomGenerator random = new Random();

        private Builder() {
        }

        /**
         * The backoff: the first delay is at most {@code initial}, each next one's bound doubles, up to
         * {@code max}. Default 500 ms and 30 s.
         */
        public Builder backoff(Duration initial, Duration max) {
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("the backoff needs 0 < initial <= max: " + initial + ", " + max);
            }
            this.initial = initial;
            this.max = max;
            return this;
        }

        /** Gives up after this many failed attempts in a row; 0 (the default) never gives up for that. */
        public Builder maxAttempts(int attempts) {
            if (attempts < 0) {
                throw new IllegalArgumentException("attempts must not be negative: " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * More close codes after which the server is not tried again, besides 1003 and 1008: the
         * application's own "go away" codes, such as a 4003 for a revoked token.
         *
         * @throws IllegalArgumentException for a code no close frame may carry
         */
        public Builder giveUpOn(int... closeCodes) {
            for (int code : closeCodes) {
                if (!CloseCodes.isValidOnWire(code)) {
                    throw new IllegalArgumentException("not a close code a server can send: " + code);
                }
                finalCloseCodes.add(code);
            }
            return this;
        }

        /** Told about each attempt; default none. */
        public Builder onAttempt(AttemptListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * Called after each reconnect, on the new connection's thread, before any of its messages
         * reaches the handler: subscribe again here. Not called for the first connection (that is
         * {@code onOpen}). Like a handler callback it must not block; if it throws, the new
         * connection is closed with 1011 and reconnecting goes on.
         */
        public Builder onReconnect(Consumer<? super Connection> hook) {
            this.onReconnect = Objects.requireNonNull(hook);
            return this;
        }

        /** Where the delays are timed; default the JDK's {@code CompletableFuture.delayedExecutor}. A test's manual clock goes here. */
        public Builder timer(Timer timer) {
            this.timer = Objects.requireNonNull(timer);
            return this;
        }

        /** Where the jitter comes from; default a {@link Random}. Used from several threads if the policy serves several connections. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        /** The policy. */
        public Reconnect build() {
            return new Reconnect(this);
        }
    }
}
