package dev.weft.cli.command;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.cli.Terminal;
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
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code weft bench URL}: a load generator for echo servers. Opens the connections, keeps
 * {@code --inflight} messages on their way on each (one by default: a closed loop), checks every
 * echo against what was sent, and reports messages/s, MB/s, round-trip percentiles and errors for
 * the measured time after a warm-up.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Measure an echo server: messages/s, MB/s and round-trip latency.",
        description = {
            "",
            "Each connection sends a message, waits for its echo, checks that it is the message sent, "
                    + "records the round trip and sends the next (with --inflight K, K messages are kept on "
                    + "their way). The warm-up is not counted. A progress line goes to standard error every "
                    + "second of a run longer than a few seconds; the summary goes to standard output.",
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

    @Option(names = "--inflight", paramLabel = "K", defaultValue = "1",
            description = "Messages each connection keeps on their way (default: ${DEFAULT-VALUE}, a closed loop).")
    int inflight;

    @Option(names = "--binary", description = "Send binary messages instead of text.")
    boolean binary;

    @Option(names = "--threads", paramLabel = "N",
            description = "Client event-loop threads (default: one per processor).")
    Integer threads;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

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
        EchoLoad load = new EchoLoad(new EchoPayload(size, binary), inflight);
        try (WebSocketClient client = builder.build()) {
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
            BenchResult result = measure(load, open, failed);
            if (!load.stop(DRAIN_NANOS)) {
                terminal.err().println("weft: some echoes had not come back " + DRAIN_NANOS / 1_000_000_000 + " s after the end");
            }
            terminal.out().println(json ? result.toJson() : result.toText());
            terminal.out().flush();
            return result.totalErrors() == 0 ? 0 : 1;
        }
    }

    private void checkOptions() {
        if (connections < 1) {
            throw new ParameterException(spec.commandLine(), "--connections must be at least 1");
        }
        if (size < 0) {
            throw new ParameterException(spec.commandLine(), "--size cannot be negative");
        }
        if (inflight < 1) {
            throw new ParameterException(spec.commandLine(), "--inflight must be at least 1");
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

    /** Waits out the warm-up, then measures for the duration, printing progress on long runs. */
    private BenchResult measure(EchoLoad load, List<Connection> open, int failed) throws InterruptedException {
        Progress progress = new Progress(load, failed, warmup + duration > PROGRESS_AFTER_SECONDS);
        progress.until(System.nanoTime() + seconds(warmup), "warm-up", null);
        long from = System.nanoTime();
        long messagesBefore = load.messages();
        // The warm-up's round trips are dropped; the histogram left keeps the recorder's settings.
        Histogram total = load.takeRoundTrips();
        total.reset();
        progress.until(from + seconds(duration), "measuring", total);
        total.add(load.takeRoundTrips());
        long messages = load.messages() - messagesBefore;
        double seconds = (System.nanoTime() - from) / 1e9;
        List<String> agreed = open.get(0).extensions().stream().map(ExtensionParameters::toString).toList();
        return new BenchResult(url.toString(), open.size(), failed, size, binary, inflight, agreed, seconds, messages,
                total, load.errors());
    }

    /** Ticks once a second until a deadline, adding round trips to a histogram and printing a progress line. */
    private final class Progress {
        private final EchoLoad load;
        private final int failed;
        private final boolean print;
        private final long start = System.nanoTime();
        private long lastTick = start;
        private long lastMessages;

        Progress(EchoLoad load, int failed, boolean print) {
            this.load = load;
            this.failed = failed;
            this.print = print;
        }

        void until(long deadline, String phase, Histogram into) throws InterruptedException {
            for (long now = System.nanoTime(); now < deadline; now = System.nanoTime()) {
                TimeUnit.NANOSECONDS.sleep(Math.min(lastTick + seconds(1), deadline) - now);
                now = System.nanoTime();
                Histogram interval = load.takeRoundTrips();
                if (into != null) {
                    into.add(interval);
                }
                long messages = load.messages();
                if (print) {
                    terminal.err().println(String.format(Locale.ROOT, "[%5.1fs] %-9s %,10.0f msg/s  p99 %.2f ms  errors %d",
                            (now - start) / 1e9, phase, (messages - lastMessages) / ((now - lastTick) / 1e9),
                            interval.getValueAtPercentile(99) / 1e6, load.errors().total() + failed));
                    terminal.err().flush();
                }
                lastMessages = messages;
                lastTick = now;
            }
        }
    }

    private static long seconds(double seconds) {
        return (long) (seconds * 1e9);
    }
}
