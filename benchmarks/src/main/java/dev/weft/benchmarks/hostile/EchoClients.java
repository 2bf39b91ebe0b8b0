package dev.weft.benchmarks.hostile;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.WebSocketConfig;
import dev.weft.cli.bench.EchoPayload;
import dev.weft.transport.nio.WebSocketClient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The well-behaved clients: {@code connections} connections to an echo endpoint, each sending a
 * {@code size}-byte text message {@code rate} times a second, on Weft's own client. A connection
 * the server closes counts as an error and is replaced; so is one whose oldest echo is later than
 * {@code timeout} (every message still waiting counts as a timeout). Thread-safe.
 */
final class EchoClients {

    private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);

    private final URI uri;
    private final int connections;
    private final int rate;
    private final int size;
    private final long timeoutNanos;
    private final EchoPayload payload;
    private final EchoTally tally = new EchoTally();
    private final List<Lane> lanes = new ArrayList<>();
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hostile-load-pacer");
        t.setDaemon(true);
        return t;
    });
    private final WebSocketClient client;
    private volatile boolean stopping;

    EchoClients(URI uri, int connections, int rate, int size, Duration timeout) {
        this.uri = uri;
        this.connections = connections;
        this.rate = rate;
        this.size = size;
        this.timeoutNanos = timeout.toNanos();
        this.payload = new EchoPayload(size, false);
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of())
                .maxMessageSize(Math.max(size, WebSocketConfig.defaults().maxMessageSize()))
                .maxFrameSize(Math.max(size, WebSocketConfig.defaults().maxFrameSize()))
                .build();
        this.client = WebSocketClient.builder().threads(1).config(config).build();
    }

    /** Opens the connections and starts sending; each lane's ticks are spread over the period. */
    void start() {
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        for (int i = 0; i < connections; i++) {
            long delay = period * i / connections;
            // The schedule counts from the moment it is made: so do the lane's due times.
            Lane lane = new Lane(System.nanoTime() + delay, period);
            pacer.scheduleAtFixedRate(lane::tick, delay, period, TimeUnit.NANOSECONDS);
            lanes.add(lane);
        }
        for (Lane lane : lanes) {
            lane.open();
        }
    }

    /**
     * Stops sending, waits up to the timeout for the echoes on their way, counts those still
     * missing as timeouts, and closes every connection.
     */
    EchoTally.Summary stop() throws InterruptedException {
        stopping = true;
        pacer.shutdownNow();
        pacer.awaitTermination(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + timeoutNanos;
        while (outstanding() > 0 && System.nanoTime() - deadline < 0) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        tally.timedOut(outstanding());
        for (Lane lane : lanes) {
            lane.close();
        }
        client.close();
        return tally.summary(connections, rate, size);
    }

    private int outstanding() {
        int n = 0;
        for (Lane lane : lanes) {
            PacedEcho c = lane.current;
            n += c == null ? 0 : c.outstanding();
        }
        return n;
    }

    /** One connection's place: the connection now open there, and its schedule. */
    final class Lane {

        private final long period;
        private long nextDue;
        private volatile PacedEcho current;

        private Lane(long firstDue, long period) {
            this.nextDue = firstDue;
            this.period = period;
        }

        boolean stopping() {
            return stopping;
        }

        /** The pacer's tick: the next message is due; late echoes give the connection up. */
        private void tick() {
            long due = nextDue;
            nextDue += period;
            PacedEcho c = current;
            if (c == null) {
                return;
            }
            Long oldest = c.oldestDue();
            if (oldest != null && System.nanoTime() - oldest > timeoutNanos) {
                tally.timedOut(c.outstanding());
                current = null;
                c.abandon();
                return;
            }
            c.send(due);
        }

        /** A connection of this lane opened: messages go to it from now on. */
        void opened(PacedEcho echo) {
            current = echo;
        }

        /** A connection of this lane closed: open another after a pause, unless the load is stopping. */
        void replace(PacedEcho closed) {
            if (current == closed) {
                current = null;
            }
            openLater();
        }

        private void open() {
            if (stopping) {
                return;
            }
            PacedEcho echo = new PacedEcho(this, payload, tally, (int) Math.max(1, rate * timeoutNanos / 1_000_000_000L + 1));
            client.connect(uri, echo).whenComplete((connection, failure) -> {
                if (failure != null && !stopping) {
                    tally.connectFailed();
                    openLater();
                }
            });
        }

        private void openLater() {
            if (stopping) {
                return;
            }
            try {
                pacer.schedule(this::open, RECONNECT_PAUSE.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // The load stopped meanwhile: nothing more to open.
            }
        }

        private void close() {
            PacedEcho c = current;
            Connection connection = c == null ? null : c.connection();
            if (connection != null) {
                connection.close(CloseCodes.NORMAL_CLOSURE, "load over");
            }
        }
    }
}
