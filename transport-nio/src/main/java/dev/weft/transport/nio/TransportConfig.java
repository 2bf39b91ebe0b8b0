package dev.weft.transport.nio;

import dev.weft.core.session.MemoryBudget;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a transport moves bytes for each connection: write-queue watermarks and limit, read pausing,
 * where handler callbacks run, and the connect timeout. Immutable; defaults are safe.
 *
 * <table>
 * <caption>Settings and defaults</caption>
 * <tr><th>setting</th><th>default</th></tr>
 * <tr><td>{@link #highWatermark()}</td><td>1 MiB: above it, not writable (and reads pause)</td></tr>
 * <tr><td>{@link #lowWatermark()}</td><td>256 KiB: below it, writable again</td></tr>
 * <tr><td>{@link #maxQueuedBytes()}</td><td>16 MiB: above it, {@link #overflowPolicy()}</td></tr>
 * <tr><td>{@link #overflowPolicy()}</td><td>{@link OverflowPolicy#CLOSE} (1008)</td></tr>
 * <tr><td>{@link #pauseReadsWhenNotWritable()}</td><td>true</td></tr>
 * <tr><td>{@link #handlerExecutor()}</td><td>none: callbacks run on the event loop</td></tr>
 * <tr><td>{@link #connectTimeout()}</td><td>10 s</td></tr>
 * <tr><td>{@link #memoryBudget()}</td><td>a quarter of the maximum heap, for all connections together</td></tr>
 * </table>
 */
public final class TransportConfig {

    private final long highWatermark;
    private final long lowWatermark;
    private final long maxQueuedBytes;
    private final OverflowPolicy overflowPolicy;
    private final boolean pauseReadsWhenNotWritable;
    private final Executor handlerExecutor;
    private final Duration connectTimeout;
    private final long memoryBudget;

    private TransportConfig(Builder b) {
        if (b.lowWatermark > b.highWatermark || b.highWatermark > b.maxQueuedBytes) {
            throw new IllegalArgumentException("need lowWatermark <= highWatermark <= maxQueuedBytes: "
                    + b.lowWatermark + ", " + b.highWatermark + ", " + b.maxQueuedBytes);
        }
        this.highWatermark = b.highWatermark;
        this.lowWatermark = b.lowWatermark;
        this.maxQueuedBytes = b.maxQueuedBytes;
        this.overflowPolicy = b.overflowPolicy;
        this.pauseReadsWhenNotWritable = b.pauseReadsWhenNotWritable;
        this.handlerExecutor = b.handlerExecutor;
        this.connectTimeout = b.connectTimeout;
        this.memoryBudget = b.memoryBudget;
    }

    /** The defaults. */
    public static TransportConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Queued bytes above which a connection is not writable. */
    public long highWatermark() {
        return highWatermark;
    }

    /** Queued bytes below which a connection that was not writable becomes writable again. */
    public long lowWatermark() {
        return lowWatermark;
    }

    /** Queued bytes above which {@link #overflowPolicy()} applies. */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** What happens when the write queue would pass {@link #maxQueuedBytes()}. */
    public OverflowPolicy overflowPolicy() {
        return overflowPolicy;
    }

    /** Whether a connection stops reading while it is not writable (so an echo peer is slowed down). */
    public boolean pauseReadsWhenNotWritable() {
        return pauseReadsWhenNotWritable;
    }

    /**
     * Where handler callbacks run: null for the connection's event loop; otherwise this executor,
     * one callback at a time per connection, in order (virtual threads suit it on Java 21+).
     */
    public Executor handlerExecutor() {
        return handlerExecutor;
    }

    /** How long a client waits for the TCP connection. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The most bytes that all the connections of one server (or one client) may hold together:
     * unfinished incoming frames and messages (inflated output included), queued outgoing bytes
     * and compression contexts. Over it, the connections holding the most stop reading; if that
     * does not help, the largest holder is closed with 1013 (Try Again Later). By default a quarter
     * of the heap the JVM may use ({@code Runtime.maxMemory()}).
     */
    public long memoryBudget() {
        return memoryBudget > 0 ? memoryBudget : MemoryBudget.defaultLimit();
    }

    /** Builds a {@link TransportConfig}. Not thread-safe. */
    public static final class Builder {
        private long highWatermark = 1 << 20;
        private long lowWatermark = 256 * 1024;
        private long maxQueuedBytes = 16 << 20;
        private OverflowPolicy overflowPolicy = OverflowPolicy.CLOSE;
        private boolean pauseReadsWhenNotWritable = true;
        private Executor handlerExecutor;
        private Duration connectTimeout = Duration.ofSeconds(10);
        /** 0: derived from the heap when read. */
        private long memoryBudget;

        private Builder() {
        }

        /** Sets both watermarks. */
        public Builder watermarks(long low, long high) {
            this.lowWatermark = low;
            this.highWatermark = high;
            return this;
        }

        /** Sets {@link TransportConfig#maxQueuedBytes()}. */
        public Builder maxQueuedBytes(long bytes) {
            this.maxQueuedBytes = bytes;
            return this;
        }

        /** Sets {@link TransportConfig#overflowPolicy()}. */
        public Builder overflowPolicy(OverflowPolicy policy) {
            this.overflowPolicy = Objects.requireNonNull(policy);
            return this;
        }

        /** Sets {@link TransportConfig#pauseReadsWhenNotWritable()}. */
        public Builder pauseReadsWhenNotWritable(boolean pause) {
            this.pauseReadsWhenNotWritable = pause;
            return this;
        }

        /** Sets {@link TransportConfig#handlerExecutor()}; null for the event loop. */
        public Builder handlerExecutor(Executor executor) {
            this.handlerExecutor = executor;
            return this;
        }

        /** Sets {@link TransportConfig#connectTimeout()}. */
        public Builder connectTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive: " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** Sets {@link TransportConfig#memoryBudget()}, in bytes; positive. */
        public Builder memoryBudget(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("memoryBudget must be positive: " + bytes);
            }
            this.memoryBudget = bytes;
            return this;
        }

        /** The configuration. */
        public TransportConfig build() {
            return new TransportConfig(this);
        }
    }
}
