package dev.weft.cli.command;

import dev.weft.api.WebSocketConfig;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.tls.ClientTls;
import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.api.tls.ServerTls;
import dev.weft.cli.Terminal;
import dev.weft.cluster.Broker;
import dev.weft.cluster.BrokerException;
import dev.weft.cluster.BrokerFactory;
import dev.weft.cluster.NodeId;
import dev.weft.cluster.Rooms;
import dev.weft.metrics.micrometer.MicrometerMetrics;
import dev.weft.transport.blocking.BlockingWebSocketServer;
import dev.weft.transport.nio.TransportConfig;
import dev.weft.transport.nio.TransportStats;
import dev.weft.transport.nio.WebSocketServer;
import dev.weft.transport.tls.Tls;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.lang.System.Logger.Level.INFO;

/**
 * {@code weft serve}: a demo server with an echo endpoint (the Autobahn|Testsuite server testee),
 * chat rooms, and a browser page for both ({@link DemoSite}), on the NIO transport or, with
 * {@code --transport blocking}, on the blocking one. Prints {@code listening on ws://HOST:PORT
 * (TRANSPORT)} on standard output once it accepts connections, and runs until Ctrl-C or SIGTERM,
 * when it shuts down gracefully (connections are closed with 1001) and exits with status 0.
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Run a demo server: echo, chat rooms and a browser page.",
        description = {
            "",
            "  /echo        echoes every message: text as text, binary as binary",
            "  /chat/ROOM   relays each text message to all in ROOM (/chat: lobby)",
            "  /            a browser page with a chat view and an echo view",
            "  /metrics     with --metrics: Prometheus text (Micrometer's registry)",
            "  /info        which node this is (JSON), for the page",
            "",
            "With --cluster, the chat rooms span every server started with the same broker URI: "
                    + "a message typed on one node's page appears on the others'. Delivery across "
                    + "nodes is at most once, in order per sending node.",
            "",
            "Accepts every extension installed in the jar unless --extensions says otherwise.",
            "",
            "Runs on the NIO transport (event loops) unless --transport blocking runs it with a "
                    + "thread per connection (virtual threads on Java 21+): the same endpoints, "
                    + "limits, caps, extensions and TLS. --threads and --stats-interval work with nio "
                    + "only, and are refused with blocking.",
            "",
            "Prints 'listening on ws://HOST:PORT (TRANSPORT)' (wss:// with TLS) on standard output "
                    + "once it accepts connections. Ctrl-C or SIGTERM closes every connection with "
                    + "1001 and exits with status 0.",
            "",
            "Logs a line per connection as it closes (logger 'access': address, path, subprotocol, "
                    + "extensions, duration, messages and bytes each way, close code and reason, who "
                    + "closed) and each refused handshake with its HTTP status (logger 'peer'), at INFO; "
                    + "--quiet leaves them out.",
            ""},
        footer = {"", "Examples:", "  weft serve --port 9001 --max-message-size 67108864",
            "  weft serve --transport blocking",
            "  weft serve --metrics                  (then: curl http://127.0.0.1:8080/metrics)",
            "  weft serve --cluster redis://127.0.0.1:6379 --port 8080   (and --port 8081 in another terminal)",
            "  weft serve --host 0.0.0.0 --max-connections 10000 --max-connections-per-address 50",
            "  weft serve --tls-self-signed          (wss:// on port 8443)"})
final class ServeCommand implements Callable<Integer> {

    private static final System.Logger LOG = System.getLogger(ServeCommand.class.getName());
    private static final int MIB = 1 << 20;
    private static final Duration GRACE = Duration.ofSeconds(5);

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", paramLabel = "PORT",
            description = "Port to listen on (default: 8080, or 8443 with TLS; 0 picks a free one).")
    Integer port;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "Serve wss:// with the key and certificate in this PKCS12 or JKS keystore.")
    Path tlsKeyStore;

    @Option(names = "--tls-password", paramLabel = "PASSWORD", interactive = false,
            description = "The password of --tls-keystore (and of its key).")
    String tlsPassword;

    @Option(names = "--tls-self-signed",
            description = "Serve wss:// with a certificate for localhost and 127.0.0.1 made at start "
                    + "(for development; clients must trust it or use --insecure).")
    boolean tlsSelfSigned;

    @Option(names = "--threads", paramLabel = "N",
            description = "Event-loop threads (default: one per processor); nio only.")
    Integer threads;

    @Option(names = "--max-message-size", paramLabel = "BYTES", defaultValue = "" + (16 * MIB),
            description = "Largest message and frame accepted; bigger ones are refused with 1009 "
                    + "(default: ${DEFAULT-VALUE}, 16 MiB).")
    int maxMessageSize;

    @Option(names = "--memory-budget", paramLabel = "BYTES", converter = ByteSize.class,
            description = "Most memory all connections may hold together (unfinished messages, queued "
                    + "output, compression contexts), in bytes or with k, m or g; over it the largest "
                    + "holders stop reading, then the largest is closed with 1013 (default: a quarter of "
                    + "the heap).")
    Long memoryBudget;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Close a connection whose peer sends nothing for this long; 0 never does "
                    + "(default: ${DEFAULT-VALUE}).")
    long idleTimeoutSeconds;

    @Option(names = "--stats-interval", paramLabel = "SECONDS", defaultValue = "0",
            description = "Print the server's counters on standard error every SECONDS, as a line "
                    + "starting 'stats: '; 0 never does (default: ${DEFAULT-VALUE}); nio only.")
    long statsIntervalSeconds;

    @Option(names = "--metrics",
            description = "Serve the server's metrics as Prometheus text on /metrics (plain HTTP on the "
                    + "same port): connections by endpoint, close code and side, messages, bytes, "
                    + "refusals, write queues and the memory budget.")
    boolean metrics;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "0",
            description = "Serve at most N connections at once; a request over it is answered 503 "
                    + "with Retry-After (default: ${DEFAULT-VALUE}, no cap).")
    int maxConnections;

    @Option(names = "--max-connections-per-address", paramLabel = "N", defaultValue = "0",
            description = "At most N connections from one IP address; one over it is closed as soon "
                    + "as it is accepted (default: ${DEFAULT-VALUE}, no cap).")
    int maxConnectionsPerAddress;

    @Option(names = "--max-handshakes", paramLabel = "N", defaultValue = "1024",
            description = "At most N connections in their opening handshake (TLS included); one over "
                    + "it is closed as soon as it is accepted (default: ${DEFAULT-VALUE}; 0: no cap).")
    int maxHandshakes;

    @Option(names = "--cluster", paramLabel = "URI",
            description = "Share the chat rooms with every server on this broker: redis://HOST:PORT[/DB] "
                    + "(redis://:PASSWORD@HOST:PORT with a password, rediss:// for TLS). Refuses to start "
                    + "if it cannot be reached, unless --cluster-optional.")
    URI cluster;

    @Option(names = "--cluster-optional",
            description = "With --cluster: start on this node alone when the broker cannot be reached, "
                    + "and join the cluster once it can.")
    boolean clusterOptional;

    @Option(names = "--cluster-trust-cert", paramLabel = "FILE",
            description = "With a rediss:// --cluster: trust this certificate (PEM or DER) of the broker's "
                    + "instead of the system's; the host name is still checked.")
    Path clusterTrustCertificate;

    @Option(names = "--node", paramLabel = "ID",
            description = "With --cluster: this server's name in the cluster, 1 to 64 of A-Z a-z 0-9 . _ - "
                    + "(default: random); the page shows it.")
    String node;

    @Mixin
    TransportOption transport;

    @Mixin
    ExtensionsOption extensions;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    private final Terminal terminal;
    private Rooms rooms;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    ServeCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        try {
            String refused = refusedOnBlocking();
            if (refused != null) {
                terminal.err().println("weft: " + refused);
                return 2;
            }
            DemoServer built;
            try {
                built = build();
            } catch (IOException | GeneralSecurityException e) {
                terminal.err().println("weft: cannot set up TLS: " + Failures.describe(e));
                return 2;
            } catch (BrokerException e) {
                terminal.err().println("weft: cannot join the cluster: " + e.getMessage()
                        + " (is the broker running? --cluster-optional starts without it)");
                return 2;
            }
            try {
                built.start();
            } catch (UncheckedIOException | IllegalArgumentException e) {
                // An I/O failure (the port is taken), or an address that does not resolve.
                String why = e instanceof UnresolvedAddressException ? "unknown host " + host
                        : Failures.describe(e instanceof UncheckedIOException ? e.getCause() : e);
                terminal.err().println("weft: cannot listen on " + host + ":" + port() + ": " + why);
                return 2;
            }
            terminal.onStopRequest(this::stop);
            String address = hostAndPort(built.localAddress());
            String ws = tls() ? "wss://" : "ws://";
            terminal.out().println("listening on " + ws + address + " (" + built.transport() + ")");
            terminal.out().flush();
            terminal.err().println("endpoints: " + ws + address + "/echo and " + ws + address
                    + "/chat/ROOM; page: " + (tls() ? "https://" : "http://") + address + "/");
            terminal.err().flush();
            ScheduledExecutorService stats = printStats(built);
            awaitStopRequest();
            if (stats != null) {
                stats.shutdownNow();
            }
            int open = built.openConnections();
            terminal.err().println("shutting down: closing " + open + (open == 1 ? " connection" : " connections")
                    + " (waiting up to " + GRACE.toSeconds() + " s)");
            built.shutdown(GRACE);
            rooms.close();
            terminal.err().println("stopped");
            terminal.err().flush();
            return 0;
        } finally {
            stopped.countDown();
        }
    }

    /**
     * Asks the server to shut down gracefully and waits until it has (or until the command ended
     * some other way). Safe to call from any thread, more than once. The shutdown hook calls it on
     * Ctrl-C and SIGTERM; tests call it directly.
     */
    void stop() {
        stopRequested.countDown();
        try {
            stopped.await(GRACE.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Prints the server's counters every {@code --stats-interval} seconds, from a daemon thread; none if 0. */
    private ScheduledExecutorService printStats(DemoServer server) {
        if (statsIntervalSeconds == 0) {
            return null;
        }
        TransportStats counters = server.stats().orElseThrow(); // refused on a transport without counters
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-serve-stats");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            terminal.err().println("stats: " + counters);
            terminal.err().flush();
        }, statsIntervalSeconds, statsIntervalSeconds, TimeUnit.SECONDS);
        return timer;
    }

    private void awaitStopRequest() {
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            // Interrupted while serving: treat it like a stop request, and keep the flag for the caller.
            Thread.currentThread().interrupt();
        }
    }

    private boolean tls() {
        return tlsKeyStore != null || tlsSelfSigned;
    }

    private int port() {
        return port != null ? port : tls() ? 8443 : 8080;
    }

    /**
     * Why the options given cannot run on the blocking transport, or null if they can: an option for
     * a part of the NIO transport is refused rather than ignored.
     */
    private String refusedOnBlocking() {
        if (!transport.blocking()) {
            return null;
        }
        if (threads != null) {
            return "--threads sets the NIO event loops; --transport blocking runs a thread per connection";
        }
        if (statsIntervalSeconds > 0) {
            return "--stats-interval prints the NIO server's counters; --transport blocking keeps none";
        }
        return null;
    }

    private DemoServer build() throws IOException, GeneralSecurityException, BrokerException {
        if (port() < 0 || port() > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535: " + port());
        }
        if (tlsKeyStore != null && tlsSelfSigned) {
            throw new ParameterException(spec.commandLine(), "--tls-keystore and --tls-self-signed cannot be used together");
        }
        if (tlsKeyStore != null && tlsPassword == null) {
            throw new ParameterException(spec.commandLine(), "--tls-keystore needs --tls-password");
        }
        if (threads != null && threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1: " + threads);
        }
        if (maxMessageSize < 125) {
            // A control frame takes up to 125 bytes, so no smaller frame limit can work.
            throw new ParameterException(spec.commandLine(), "--max-message-size must be at least 125: " + maxMessageSize);
        }
        if (memoryBudget != null && memoryBudget <= 0) {
            throw new ParameterException(spec.commandLine(), "--memory-budget must be positive: " + memoryBudget);
        }
        if (statsIntervalSeconds < 0) {
            throw new ParameterException(spec.commandLine(), "--stats-interval must not be negative: " + statsIntervalSeconds);
        }
        if (idleTimeoutSeconds < 0) {
            throw new ParameterException(spec.commandLine(), "--idle-timeout must not be negative: " + idleTimeoutSeconds);
        }
        if (cluster == null && (node != null || clusterOptional || clusterTrustCertificate != null)) {
            throw new ParameterException(spec.commandLine(), (node != null ? "--node"
                    : clusterOptional ? "--cluster-optional" : "--cluster-trust-cert") + " goes with --cluster URI");
        }
        if (node != null && !NodeId.isValid(node)) {
            throw new ParameterException(spec.commandLine(), "--node must be 1 to 64 of A-Z a-z 0-9 . _ -: " + node);
        }
        requireCap("--max-connections", maxConnections);
        requireCap("--max-connections-per-address", maxConnectionsPerAddress);
        requireCap("--max-handshakes", maxHandshakes);
        List<ExtensionFactory> accepted = extensions.select(true);
        WebSocketConfig config = WebSocketConfig.builder()
                .maxMessageSize(maxMessageSize)
                .maxFrameSize(maxMessageSize)
                .idleTimeout(Duration.ofSeconds(idleTimeoutSeconds))
                .extensions(accepted)
                .build();
        LOG.log(INFO, () -> "extensions accepted: " + ExtensionsOption.describe(accepted));
        PrometheusMeterRegistry registry = metrics ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
        MicrometerMetrics listener = registry == null ? null : MicrometerMetrics.of(registry);
        rooms = rooms(listener);
        DemoSite site = new DemoSite(rooms, cluster == null ? null : describe(cluster),
                registry == null ? null : registry::scrape);
        DemoServer server = transport.blocking() ? blockingServer(site, config, listener) : nioServer(site, config, listener);
        String budget = server.stats().map(s -> s.memoryBudget() + " bytes")
                .orElse(memoryBudget != null ? memoryBudget + " bytes" : "a quarter of the heap");
        LOG.log(INFO, () -> "messages up to " + maxMessageSize + " bytes, idle timeout "
                + (idleTimeoutSeconds == 0 ? "off" : idleTimeoutSeconds + " s") + ", memory budget " + budget);
        LOG.log(INFO, () -> "connections at most " + cap(maxConnections) + ", per address " + cap(maxConnectionsPerAddress)
                + ", in their handshake " + cap(maxHandshakes));
        return server;
    }

    /**
     * This node's rooms, or with {@code --cluster} the cluster's, started (last of the checks, so that
     * a usage error never leaves a broker connection behind).
     *
     * @param listener the metrics listener of {@code --metrics}, or null
     */
    private Rooms rooms(MicrometerMetrics listener) throws BrokerException, IOException, GeneralSecurityException {
        if (cluster == null) {
            return new Rooms();
        }
        Broker broker;
        try {
            broker = clusterTrustCertificate == null ? BrokerFactory.forUri(cluster)
                    : BrokerFactory.forUri(cluster, ClientTls.trusting(clusterTrustCertificate));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--cluster: " + e.getMessage());
        }
        Rooms.Builder builder = Rooms.builder().broker(broker).startWithoutBroker(clusterOptional);
        if (node != null) {
            builder.node(node);
        }
        if (listener != null) {
            builder.metrics(listener);
        }
        return builder.start();
    }

    /** {@code uri} without its user information, for the page and the log. */
    private static String describe(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** @param listener the metrics listener of {@code --metrics}, or null */
    private DemoServer nioServer(DemoSite site, WebSocketConfig config, MicrometerMetrics listener)
            throws IOException, GeneralSecurityException {
        WebSocketServer.Builder builder = site.addTo(WebSocketServer.builder())
                .bind(host, port())
                .config(config)
                .transport(transportFor(maxMessageSize, memoryBudget))
                .maxConnections(maxConnections)
                .maxConnectionsPerAddress(maxConnectionsPerAddress)
                .maxHandshakes(maxHandshakes)
                .accessLog(true);
        if (threads != null) {
            builder.threads(threads);
        }
        if (listener != null) {
            builder.metrics(listener);
        }
        ServerTls tls = serverTls();
        if (tls != null) {
            builder.networkLayer(Tls.server(tls));
        }
        return DemoServer.of(builder.build(), threads != null ? threads : Runtime.getRuntime().availableProcessors());
    }

    private DemoServer blockingServer(DemoSite site, WebSocketConfig config, MicrometerMetrics listener)
            throws IOException, GeneralSecurityException {
        BlockingWebSocketServer.Builder builder = site.addTo(BlockingWebSocketServer.builder())
                .bind(host, port())
                .config(config)
                .maxConnections(maxConnections)
                .maxConnectionsPerAddress(maxConnectionsPerAddress)
                .maxHandshakes(maxHandshakes)
                .accessLog(true);
        if (memoryBudget != null) {
            builder.memoryBudget(memoryBudget);
        }
        if (listener != null) {
            builder.metrics(listener);
        }
        ServerTls tls = serverTls();
        if (tls != null) {
            builder.tls(tls);
        }
        return DemoServer.of(builder.build());
    }

    /** The TLS of --tls-keystore or --tls-self-signed, or null for plain ws://. */
    private ServerTls serverTls() throws IOException, GeneralSecurityException {
        if (tlsKeyStore != null) {
            if (!Files.isRegularFile(tlsKeyStore)) {
                throw new NoSuchFileException(tlsKeyStore.toString()); // the JDK would say it with a stack trace
            }
            return ServerTls.fromKeyStore(tlsKeyStore, tlsPassword.toCharArray());
        }
        if (!tlsSelfSigned) {
            return null;
        }
        SelfSignedCertificate certificate = SelfSignedCertificate.create();
        terminal.err().println("self-signed certificate for localhost and 127.0.0.1; trust it with "
                + "'weft connect --trust-cert " + certificate.certificateFile() + "' or use --insecure");
        return certificate.serverTls();
    }

    private void requireCap(String option, int value) {
        if (value < 0) {
            throw new ParameterException(spec.commandLine(), option + " must not be negative (0: no cap): " + value);
        }
    }

    private static String cap(int value) {
        return value == 0 ? "unlimited" : Integer.toString(value);
    }

    /**
     * Transport limits that let an echo of the largest message through. The default write-queue
     * limit (16 MiB) is the default message limit, so a largest message echoed with its frame
     * header would go over it and be refused with 1008. Reads pause above the high watermark, so
     * little more than one message is ever queued.
     */
    static TransportConfig transportFor(int maxMessageSize, Long memoryBudget) {
        TransportConfig defaults = TransportConfig.defaults();
        long limit = Math.max(defaults.maxQueuedBytes(), 2L * maxMessageSize);
        TransportConfig.Builder transport = TransportConfig.builder().maxQueuedBytes(limit);
        if (memoryBudget != null) {
            transport.memoryBudget(memoryBudget);
        }
        return transport.build();
    }

    /** {@code 127.0.0.1:8080}, or {@code [::1]:8080} for IPv6. */
    static String hostAndPort(InetSocketAddress address) {
        String host = address.getAddress() instanceof Inet6Address
                ? "[" + address.getAddress().getHostAddress() + "]"
                : address.getAddress().getHostAddress();
        return host + ":" + address.getPort();
    }
}
