package dev.weft.cli.bench;

import dev.weft.api.WebSocketHandler;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every connection of a {@code weft bench} run shares: the stop signal, the round-trip
 * recorder and the counters. Thread-safe: the connections' loop threads write, the command's
 * thread reads.
 */
public final class EchoLoad {

    /** Round trips up to a minute are told apart to three significant digits. */
    private static final long LONGEST_ROUND_TRIP = TimeUnit.MINUTES.toNanos(1);

    private final EchoPayload payload;
    private final int inflight;
    private final Recorder roundTrips = new Recorder(LONGEST_ROUND_TRIP, 3);
    private final LongAdder messages = new LongAdder();
    private final LongAdder mismatches = new LongAdder();
    private final LongAdder closes = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final Queue<EchoWorker> workers = new ConcurrentLinkedQueue<>();
    private volatile boolean stopped;

    /**
     * @param payload the messages to send
     * @param inflight how many messages each connection keeps on their way
     */
    public EchoLoad(EchoPayload payload, int inflight) {
        if (inflight < 1) {
            throw new IllegalArgumentException("at least one message must be in flight: " + inflight);
        }
        this.payload = payload;
        this.inflight = inflight;
    }

    /** The handler for one more connection; it starts sending as soon as it opens. */
    public WebSocketHandler newConnection() {
        EchoWorker worker = new EchoWorker(this, payload, inflight);
        workers.add(worker);
        return worker;
    }

    /** The round trips recorded since the last call (or since the start). */
    public Histogram takeRoundTrips() {
        return roundTrips.getIntervalHistogram();
    }

    /** How many echoes have come back, intact or not. */
    public long messages() {
        return messages.sum();
    }

    /** Echoes that were not what was sent, connections that closed during the run, and failed sends. */
    public Errors errors() {
        return new Errors(mismatches.sum(), closes.sum(), sendFailures.sum(), firstError.get());
    }

    /**
     * Stops sending, waits up to {@code graceNanos} for the messages on their way, then closes
     * every connection normally.
     *
     * @return whether every open connection's messages came back in time
     */
    public boolean stop(long graceNanos) throws InterruptedException {
        stopped = true;
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (EchoWorker w : workers) {
            if (w.opened()) {
                w.stopIfIdle();
                pending.add(w.drained());
            }
        }
        boolean all;
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(graceNanos, TimeUnit.NANOSECONDS);
            all = true;
        } catch (ExecutionException | TimeoutException e) {
            all = false;
        }
        for (EchoWorker w : workers) {
            w.close();
        }
        return all;
    }

    boolean stopped() {
        return stopped;
    }

    void echoed(long roundTripNanos, boolean intact) {
        messages.increment();
        roundTrips.recordValue(Math.min(roundTripNanos, LONGEST_ROUND_TRIP));
        if (!intact) {
            mismatches.increment();
            firstError.compareAndSet(null, "an echo did not match the message sent");
        }
    }

    void unexpectedClose(int code, String reason) {
        closes.increment();
        firstError.compareAndSet(null, "a connection closed during the run: " + code + (reason.isEmpty() ? "" : " " + reason));
    }

    void sendFailed(Throwable failure) {
        sendFailures.increment();
        firstError.compareAndSet(null, "a send failed: " + failure);
    }

    /**
     * The errors of a run.
     *
     * @param mismatches echoes that differed from the message sent
     * @param closes connections that closed before the run ended
     * @param sendFailures sends that failed
     * @param first a description of the first error, or {@code null}
     */
    public record Errors(long mismatches, long closes, long sendFailures, String first) {

        /** All errors together. */
        public long total() {
            return mismatches + closes + sendFailures;
        }
    }
}
