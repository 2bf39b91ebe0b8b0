package dev.weft.cli.command;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.cli.Terminal;
import dev.weft.cli.bench.BenchInterval;
import dev.weft.cli.bench.BenchResult;
import dev.weft.cli.bench.EchoLoad;
import dev.weft.cli.bench.EchoPayload;
import dev.weft.transport.nio.NetworkLayer;
import dev.weft.transport.nio.WebSocketClient;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code weft bench URL}: a load generator for echo servers. Opens the connections, keeps
 * {@code --inflight} messages on their way on each (one by default: a closed loop) or sends
 * {@code --rate} messages a second on schedule (an open loop), checks every echo against what was
 * sent, and reports messages/s, MB/s, round-trip and connect-time percentiles and errors for the
 * measured time after a warm-up.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Measure an echo server: messages/s, MB/s and round-trip latency.",
        description = {
            "",
            "Each connection sends a message, waits for its echo, checks that it is the message sent, "
                    + "records the round trip and sends the next (with --inflight K, K messages are kept on "
                    + "their way). With --rate N, N messages a second are sent on schedule across all "
                    + "connections whether or not echoes came back (at most --inflight on their way on each), "
                    + "and each round trip counts from the message's scheduled time, so that a server that "
                    + "falls behind is not hidden (coordinated omission). The warm-up is not counted. A "
                    + "progress line goes to standard error every second of a run longer than a few seconds; "
                    + "the summary goes to standard output.",
            "",
            "Exit status: 0 with no errors, 1 if any echo was wrong, a send failed or a connection "
                    + "closed or could not open, 2 if no connection could be opened.",
            ""},
        footer = {"", "Example:", "  weft bench ws://127.0.0.1:8080/echo --connections 100 --size 4096 --duration 10"})
final class BenchCommand implements Callable<Integer> {

    /** Runs longer than this get a progress line each second. */
    private static final double PROGRESS_AFTER_SECONDS = 3;
    /** At most this many opening handshakes at once, so a large run does not flood the server's backlog. */
    private static final int CONCURRENT_HANDSHAKES = 256;
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Messages each open-loop connection may have on their way unless --inflight says otherwise. */
    private static final int OPEN_LOOP_WINDOW = 64;
    /** The progress lines' tick. */
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** A phase's end this close after a tick is given no line of its own: the tick waits for it. */
    private static final long SHORTEST_INTERVAL = SECOND / 10;
    /** The HdrHistogram percentile distribution in milliseconds, as its plotter and wrk2 show it. */
    private static final double HGRM_NANOS_PER_UNIT = 1e6;

    @Parameters(index = "0", paramLabel = "URL", description = "An echo server, such as ws://127.0.0.1:8080/echo.")
    URI url;

    @Option(names = {"-c", "--connections"}, paramLabel = "N", defaultValue = "10",
            description = "Connections to open (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "64",
            description = "Size of each message (default: ${DEFAULT-VALUE}). Text is JSON-like ASCII.")
    int size;

    @Option(names = {"-d", "--duration"}, paramLabel = "SECONDS", defaultValue = "10",
            description = "Measured time (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "2",
            description = "Time before measuring, not counted (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--inflight", paramLabel = "K",
            description = "Messages each connection keeps on their way (default: 1, a closed loop); with --rate, "
                    + "the most each may have on their way (default: " + OPEN_LOOP_WINDOW + ").")
    Integer inflight;

    @Option(names = "--rate", paramLabel = "N",
            description = "An open loop: N messages a second across all connections, sent on schedule.")
    Double rate;

    @Option(names = "--binary", description = "Send binary messages instead of text.")
    boolean binary;

    @Option(names = "--threads", paramLabel = "N",
            description = "Client event-loop threads (default: one per processor).")
    Integer threads;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    @Option(names = "--json-interval",
            description = "Print each second's figures as one JSON object per line on standard output, "
                    + "instead of the progress lines.")
    boolean jsonInterval;

    @Option(names = "--hgrm", paramLabel = "FILE",
            description = "Write the measured round trips to FILE as HdrHistogram's percentile distribution "
                    + "(milliseconds).")
    Path hgrm;

    @Mixin
    ExtensionsOption extensions;

    @Mixin
    TlsClientOptions tlsOptions;

    @Mixin
    ProxyOption proxy;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    private final Terminal terminal;

    BenchCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws InterruptedException {
        checkOptions();
        WebSocketConfig defaults = WebSocketConfig.defaults();
        WebSocketConfig config = WebSocketConfig.builder()
                .extensions(extensions.select(false))
                .maxMessageSize(Math.max(size, defaults.maxMessageSize()))
                .maxFrameSize(Math.max(size, defaults.maxFrameSize()))
                .build();
        NetworkLayer.Factory tls;
        try {
            tls = tlsOptions.layer();
        } catch (IOException | GeneralSecurityException e) {
            terminal.err().println("weft: cannot read the certificate " + tlsOptions.trustCertificate + ": "
                    + Failures.describe(e));
            return 2;
        }
        WebSocketClient.Builder builder = WebSocketClient.builder().config(config).secureLayer(tls);
        proxy.forTarget(url).ifPresent(builder::proxy);
        if (threads != null) {
            builder.threads(threads);
        }
        int window = inflight != null ? inflight : rate != null ? OPEN_LOOP_WINDOW : 1;
        EchoPayload payload = new EchoPayload(size, binary);
        EchoLoad load = rate != null ? EchoLoad.openLoop(payload, window, rate, connections)
                : EchoLoad.closedLoop(payload, window);
        PrintStream hgrmFile = null;
        if (hgrm != null) {
            try {
                hgrmFile = new PrintStream(Files.newOutputStream(hgrm), false, StandardCharsets.UTF_8);
            } catch (IOException e) {
                terminal.err().println("weft: cannot write " + hgrm + ": " + Failures.describe(e));
                return 2;
            }
        }
        try (WebSocketClient client = builder.build(); PrintStream hgrmOut = hgrmFile) {
            List<Connection> open = new ArrayList<>();
            Throwable firstFailure = connect(client, load, open);
            int failed = connections - open.size();
            if (open.isEmpty()) {
                terminal.err().println("weft: " + Failures.connectFailure(url, firstFailure));
                return 2;
            }
            if (failed > 0) {
                terminal.err().println("weft: " + failed + " of " + connections + " connections failed; the first: "
                        + Failures.connectFailure(url, firstFailure));
            }
            BenchResult result = measure(load, open, failed, window);
            if (!load.stop(DRAIN_NANOS)) {
                terminal.err().println("weft: some echoes had not come back " + DRAIN_NANOS / 1_000_000_000 + " s after the end");
            }
            boolean written = true;
            if (hgrmOut != null) {
                result.roundTrips().outputPercentileDistribution(hgrmOut, HGRM_NANOS_PER_UNIT);
                hgrmOut.flush();
                written = !hgrmOut.checkError();
                if (!written) {
                    terminal.err().println("weft: could not write all of " + hgrm);
                }
            }
            terminal.out().println(json ? result.toJson() : result.toText());
            terminal.out().flush();
            return result.totalErrors() == 0 && written ? 0 : 1;
        }
    }

    private void checkOptions() {
        if (connections < 1) {
            throw new ParameterException(spec.commandLine(), "--connections must be at least 1");
        }
        if (size < 0) {
            throw new ParameterException(spec.commandLine(), "--size cannot be negative");
        }
        if (inflight != null && inflight < 1) {
            throw new ParameterException(spec.commandLine(), "--inflight must be at least 1");
        }
        if (rate != null && !(rate > 0 && rate < Double.POSITIVE_INFINITY)) {
            throw new ParameterException(spec.commandLine(), "--rate must be a positive number of messages a second");
        }
        if (!(duration > 0) || !(warmup >= 0)) {
            throw new ParameterException(spec.commandLine(), "--duration must be positive and --warmup not negative");
        }
        if (threads != null && threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1");
        }
    }

    /**
     * Opens the connections, a bounded number of handshakes at a time. Each starts sending as it
     * opens; the warm-up absorbs the ramp.
     *
     * @return the first failure, or {@code null}
     */
    private Throwable connect(WebSocketClient client, EchoLoad load, List<Connection> open) throws InterruptedException {
        Semaphore handshakes = new Semaphore(CONCURRENT_HANDSHAKES);
        List<CompletableFuture<Connection>> opening = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            handshakes.acquire();
            CompletableFuture<Connection> c = client.connect(url, load.newConnection());
            c.whenComplete((connection, failure) -> handshakes.release());
            opening.add(c);
        }
        Throwable first = null;
        for (CompletableFuture<Connection> c : opening) {
            try {
                open.add(c.get(WebSocketConfig.defaults().handshakeTimeout().toSeconds() + 5, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                first = first == null ? e.getCause() : first;
            } catch (TimeoutException e) {
                first = first == null ? e : first;
            }
        }
        return first;
    }

    /** Waits out the warm-up, then measures for the duration, reporting each second as asked. */
    private BenchResult measure(EchoLoad load, List<Connection> open, int failed, int window) throws InterruptedException {
        Histogram connectTimes = load.takeConnectTimes();
        Progress progress = new Progress(load, failed);
        progress.until(progress.start + seconds(warmup), "warm-up", null);
        long from = System.nanoTime();
        load.measureFrom(from);
        long messagesBefore = load.messages();
        // The warm-up's round trips are dropped; the histogram left keeps the recorder's settings.
        Histogram total = load.takeRoundTrips();
        total.reset();
        progress.until(from + seconds(duration), "measuring", total);
        total.add(load.takeRoundTrips());
        long messages = load.messages() - messagesBefore;
        long to = System.nanoTime();
        EchoLoad.Sends sends = load.sendsSinceMeasuring(to);
        double seconds = (to - from) / 1e9;
        List<String> agreed = open.get(0).extensions().stream().map(ExtensionParameters::toString).toList();
        return new BenchResult(url.toString(), open.size(), failed, size, binary, window, agreed,
                rate == null ? 0 : rate, seconds, messages, sends, total, connectTimes, load.errors());
    }

    /**
     * Ticks on each whole second since the start until a deadline, adding round trips to a
     * histogram and reporting the interval: a progress line on standard error for runs longer than
     * a few seconds, or a JSON line on standard output with --json-interval.
     */
    private final class Progress {
        private final EchoLoad load;
        private final int failed;
        private final boolean lines = !jsonInterval && warmup + duration > PROGRESS_AFTER_SECONDS;
        final long start = System.nanoTime();
        private long nextTick = start + SECOND;
        private long lastTick = start;
        private long lastMessages;
        private long lastLate;

        Progress(EchoLoad load, int failed) {
            this.load = load;
            this.failed = failed;
            this.lastMessages = load.messages();
        }

        void until(long deadline, String phase, Histogram into) throws InterruptedException {
            while (lastTick < deadline) {
                long tick = deadline - nextTick < SHORTEST_INTERVAL ? deadline : nextTick;
                sleepUntil(tick);
                while (nextTick <= tick) {
                    nextTick += SECOND;
                }
                long now = System.nanoTime();
                Histogram interval = load.takeRoundTrips();
                if (into != null) {
                    into.add(interval);
                }
                long messages = load.messages();
                long late = load.lateSends();
                BenchInterval figures = new BenchInterval((now - start) / 1e9, warmup + duration, phase,
                        load.openConnections(), (now - lastTick) / 1e9, messages - lastMessages, interval,
                        load.errors().total() + failed, load.openLoop() ? late - lastLate : -1);
                if (jsonInterval) {
                    terminal.out().println(figures.toJson());
                    terminal.out().flush();
                } else if (lines) {
                    terminal.err().println(figures.toText());
                    terminal.err().flush();
                }
                lastMessages = messages;
                lastLate = late;
                lastTick = now;
            }
        }
    }

    /** Sleeps until {@code time} on the {@link System#nanoTime()} clock has passed (a sleep may end early). */
    private static void sleepUntil(long time) throws InterruptedException {
        for (long left = time - System.nanoTime(); left > 0; left = time - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static long seconds(double seconds) {
        return (long) (seconds * 1e9);
    }
}
