package dev.weft.transport.blocking;

import dev.weft.api.WebSocketConfig;
import dev.weft.api.metrics.WebSocketMetrics;
import dev.weft.core.session.MemoryBudget;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings every blocking builder takes (a server's, a client's, an acceptor's): the protocol
 * settings, how long a write may block, the memory budget its connections share, and where they
 * report their metrics.
 *
 * @param <B> the builder, returned by each setter
 */
abstract class EndBuilder<B extends EndBuilder<B>> {

    WebSocketConfig config = WebSocketConfig.defaults();
    Duration writeTimeout = EndSettings.DEFAULT_WRITE_TIMEOUT;
    long memoryBudget = MemoryBudget.defaultLimit();
    WebSocketMetrics metrics = WebSocketMetrics.NONE;

    /** Limits, timeouts, subprotocols and extensions; default {@link WebSocketConfig#defaults()}. */
    public B config(WebSocketConfig config) {
        this.config = Objects.requireNonNull(config);
        return self();
    }

    /** How long one write may block before the connection is aborted; default 30 seconds. */
    public B writeTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the write timeout must be positive: " + timeout);
        }
        this.writeTimeout = timeout;
        return self();
    }

    /**
     * What the connections may hold in all, in bytes (buffers of messages in progress, input kept
     * back, output queued): past it they stop reading, and the largest holders are closed with 1013
     * (try again later). Default: a quarter of the heap, as on the NIO transport.
     */
    public B memoryBudget(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("the memory budget must be positive: " + bytes);
        }
        this.memoryBudget = bytes;
        return self();
    }

    /**
     * Where the connections report their messages, bytes, closes and the rest, and a server its
     * refusals (default: {@link WebSocketMetrics#NONE}). {@code weft-metrics-micrometer} provides
     * one for Micrometer.
     */
    public B metrics(WebSocketMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics);
        return self();
    }

    /** The settings of ends read the way {@code receiving} says; the listener hears of their budget. */
    EndSettings settings(Receiving receiving) {
        MemoryBudget budget = new MemoryBudget(memoryBudget);
        metrics.memoryBudget(budget);
        return new EndSettings(config, receiving, writeTimeout, budget, metrics);
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
