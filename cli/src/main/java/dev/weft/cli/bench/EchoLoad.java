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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every connection of a {@code weft bench} run shares: the stop signal, the round-trip and
 * connect-time recorders, the counters and, on an open loop, the {@link Pacer}. Thread-safe: the
 * connections' loop threads and the pacer write, the command's thread reads.
 */
public final class EchoLoad {

    /** Round trips up to a minute are told apart to three significant digits. */
    private static final long LONGEST_ROUND_TRIP = TimeUnit.MINUTES.toNanos(1);

    private final EchoPayload payload;
    private final int window;
    /** Nanoseconds between one connection's scheduled messages on an open loop; 0 on a closed loop. */
    private final long interval;
    /** Nanoseconds between the schedules of successive connections, spreading them over an interval. */
    private final long stagger;
    private final Recorder roundTrips = new Recorder(LONGEST_ROUND_TRIP, 3);
    private final Recorder connectTimes = new Recorder(3);
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder messages = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAdder mismatches = new LongAdder();
    private final LongAdder closes = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final Queue<EchoWorker> workers = new ConcurrentLinkedQueue<>();
    private final Pacer pacer;
    private long made;
    private volatile boolean stopped;

    private EchoLoad(EchoPayload payload, int window, long interval, long stagger) {
        if (window < 1) {
            throw new IllegalArgumentException("at least one message must be in flight: " + window);
        }
        this.payload = payload;
        this.window = window;
        this.interval = interval;
        this.stagger = stagger;
        this.pacer = interval == 0 ? null : new Pacer(workers);
    }

    /**
     * A closed loop: each connection keeps {@code inflight} messages on their way, sending the next
     * when an echo comes back; round trips count from the send.
     */
    public static EchoLoad closedLoop(EchoPayload payload, int inflight) {
        return new EchoLoad(payload, inflight, 0, 0);
    }

    /**
     * An open loop: {@code rate} messages a second in all, spread evenly over {@code connections}
     * connections and sent on schedule whether or not echoes have come back, with at most
     * {@code window} on their way on each; round trips count from the scheduled time.
     */
    public static EchoLoad openLoop(EchoPayload payload, int window, double rate, int connections) {
        if (!(rate > 0) || connections < 1) {
            throw new IllegalArgumentException("an open loop needs a positive rate and connections: " + rate);
        }
        double perMessage = 1e9 / rate;
        return new EchoLoad(payload, window, Math.max(1, Math.round(perMessage * connections)),
                Math.round(perMessage));
    }

    /** Whether round trips count from the scheduled send time (open loop) rather than the send. */
    public boolean openLoop() {
        return pacer != null;
    }

    /**
     * The handler for one more connection; it starts sending as soon as it opens, and its connect
     * time counts from now. Called from one thread.
     */
    public WebSocketHandler newConnection() {
        if (pacer != null && made == 0) {
            pacer.start();
        }
        long offset = interval == 0 ? 0 : made * stagger % interval;
        made++;
        EchoWorker worker = new EchoWorker(this, payload, window, interval, offset);
        workers.add(worker);
        return worker;
    }

    /** The connection times (TCP, TLS and opening handshake) recorded since the last call. */
    public Histogram takeConnectTimes() {
        return connectTimes.getIntervalHistogram();
    }

    /** Connections open now. */
    public int openConnections() {
        return open.get();
    }

    /** Open-loop messages sent behind schedule because their connection's window was full, so far. */
    public long lateSends() {
        return late.sum();
    }

    /** Starts the measured time at {@code from}: {@link #sendsSinceMeasuring} counts from here. */
    public void measureFrom(long from) {
        for (EchoWorker w : workers) {
            w.measureFrom(from);
        }
    }

    /** The messages of the measured time, which ends at {@code to}. */
    public Sends sendsSinceMeasuring(long to) {
        long sent = 0;
        long lateSent = 0;
        long skipped = 0;
        for (EchoWorker w : workers) {
            Sends s = w.sendsSinceMark(to);
            sent += s.sent();
            lateSent += s.late();
            skipped += s.skipped();
        }
        return new Sends(sent, lateSent, skipped);
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
        if (pacer != null) {
            pacer.stop();
        }
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

    void wakePacer() {
        pacer.wake();
    }

    void opened(long connectNanos) {
        open.incrementAndGet();
        connectTimes.recordValue(connectNanos);
    }

    void closed() {
        open.decrementAndGet();
    }

    void sentLate() {
        late.increment();
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
     * The messages of the measured time.
     *
     * @param sent messages sent (closed loop), or scheduled in the measured time and sent by its end (open loop)
     * @param late open loop: of those sent, how many were sent behind schedule because their
     *        connection already had its window full when they fell due
     * @param skipped open loop: messages scheduled in the measured time and not sent by its end
     */
    public record Sends(long sent, long late, long skipped) {
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
