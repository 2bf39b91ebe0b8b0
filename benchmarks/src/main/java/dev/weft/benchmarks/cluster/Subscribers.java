package dev.weft.benchmarks.cluster;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the room's members received: each message carries the {@code System.nanoTime()} it was
 * published at and its sequence number, so a member records the publish-to-deliver latency (one
 * JVM, one clock) and the first delivery of a message published after a given moment.
 */
final class Subscribers {

    private final Recorder latencies = new Recorder(3);
    private final LongAdder delivered = new LongAdder();
    private final LongAdder remoteDelivered = new LongAdder();
    private final AtomicLong firstRemoteAfter = new AtomicLong(Long.MAX_VALUE);
    private volatile long watchFromNanos = Long.MAX_VALUE;

    /** A member's handler; {@code remote} if it is on another node than the publisher. */
    WebSocketHandler member(boolean remote) {
        return new WebSocketHandler() {
            @Override
            public void onBinary(Connection c, ByteBuffer data) {
                long now = System.nanoTime();
                long sent = data.getLong(data.position());
                latencies.recordValue(Math.max(0, now - sent));
                delivered.increment();
                if (remote) {
                    remoteDelivered.increment();
                    if (sent - watchFromNanos >= 0) {
                        firstRemoteAfter.accumulateAndGet(now, Math::min);
                    }
                }
            }
        };
    }

    /** Starts a new window: counts and latencies from now on. */
    Histogram reset() {
        delivered.reset();
        remoteDelivered.reset();
        return latencies.getIntervalHistogram();
    }

    long delivered() {
        return delivered.sum();
    }

    long remoteDelivered() {
        return remoteDelivered.sum();
    }

    /** The latencies since the last reset or call. */
    Histogram latencies() {
        return latencies.getIntervalHistogram();
    }

    /** Watch for the first message published from {@code nanos} on to reach a remote member. */
    void watchFrom(long nanos) {
        firstRemoteAfter.set(Long.MAX_VALUE);
        watchFromNanos = nanos;
    }

    /** When that message arrived, or {@link Long#MAX_VALUE} if none has. */
    long firstRemoteArrival() {
        return firstRemoteAfter.get();
    }
}
