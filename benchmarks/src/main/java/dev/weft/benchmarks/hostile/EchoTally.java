package dev.weft.benchmarks.hostile;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the well-behaved clients saw: every echo's latency, and every error by kind. Thread-safe:
 * the client's loop threads and the pacing thread record, the load's thread reads at the end.
 */
final class EchoTally {

    /** Latencies up to a minute are told apart to three significant digits; longer ones count as a minute. */
    private static final long LONGEST = TimeUnit.MINUTES.toNanos(1);

    private final Recorder latencies = new Recorder(LONGEST, 3);
    private final LongAdder echoes = new LongAdder();
    private final LongAdder mismatches = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private final Map<Integer, LongAdder> closes = new ConcurrentHashMap<>();

    void echoed(long latencyNanos, boolean intact) {
        echoes.increment();
        latencies.recordValue(Math.min(Math.max(0, latencyNanos), LONGEST));
        if (!intact) {
            mismatches.increment();
        }
    }

    void timedOut(int messages) {
        timeouts.add(messages);
    }

    void closedUnexpectedly(int code) {
        closes.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    void connectFailed() {
        connectFailures.increment();
    }

    void sendFailed() {
        sendFailures.increment();
    }

    /** Everything recorded since the start; call once. */
    Summary summary(int connections, int rate, int size) {
        Map<Integer, Long> closed = new TreeMap<>();
        closes.forEach((code, n) -> closed.put(code, n.sum()));
        return new Summary(connections, rate, size, echoes.sum(), latencies.getIntervalHistogram(), mismatches.sum(),
                timeouts.sum(), closed, connectFailures.sum(), sendFailures.sum());
    }

    /**
     * The well-behaved clients' figures for a run.
     *
     * @param connections connections kept open
     * @param rate messages per second on each
     * @param size bytes per message
     * @param echoes echoes received
     * @param latencies from the moment each message was due to be sent to its echo, in nanoseconds
     * @param mismatches echoes that were not the message sent
     * @param timeouts messages whose echo did not come in time
     * @param unexpectedCloses connections the server closed, by close code
     * @param connectFailures connections (or reconnections) that failed to open
     * @param sendFailures sends that failed
     */
    record Summary(int connections, int rate, int size, long echoes, Histogram latencies, long mismatches,
                   long timeouts, Map<Integer, Long> unexpectedCloses, long connectFailures, long sendFailures) {

        /** All errors together. */
        long errors() {
            return mismatches + timeouts + unexpectedCloses.values().stream().mapToLong(Long::longValue).sum()
                    + connectFailures + sendFailures;
        }
    }
}
