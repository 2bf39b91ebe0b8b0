package dev.weft.cli.command;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.Headers;
import dev.weft.cli.Terminal;
import dev.weft.transport.blocking.BlockingWebSocketClient;
import dev.weft.transport.nio.WebSocketClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code weft testee-client URL}: the client side of the Autobahn|Testsuite. The suite's fuzzing
 * server drives each test case over a connection the testee opens, and expects every message
 * echoed back byte for byte:
 *
 * <ol>
 * <li>{@code URL/getCaseCount}: the server sends the number of cases as one text message, then closes;
 * <li>{@code URL/runCase?case=N&agent=AGENT} for N from 1 to that number, one at a time, each
 *     echoed until the server closes it;
 * <li>{@code URL/updateReports?agent=AGENT}: the server writes its reports, then closes.
 * </ol>
 *
 * Prints a progress line per case on standard error. Exit status: 0 once the reports are updated
 * (how each case went is for the reports to say), 1 if updating them failed, 2 if the case count
 * could not be had.
 */
@Command(name = "testee-client",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Run the Autobahn|Testsuite cases as a client testee.",
        description = {
            "",
            "Asks URL/getCaseCount how many cases there are, runs URL/runCase?case=N for each, "
                    + "one at a time, echoing every message back byte for byte until the server "
                    + "closes, then asks URL/updateReports to write the reports. Prints a line per "
                    + "case on standard error.",
            ""},
        footer = {"", "Examples:", "  weft testee-client ws://127.0.0.1:9001 --agent weft",
            "  weft testee-client ws://127.0.0.1:9001 --agent weft-blocking --transport blocking"})
final class TesteeClientCommand implements Callable<Integer> {

    private static final int MIB = 1 << 20;
    /** Autobahn's largest messages (cases 9.x) are 16 MiB; leave room above them. */
    private static final int MAX_MESSAGE = 64 * MIB;

    @Parameters(index = "0", paramLabel = "URL", description = "The fuzzing server, such as ws://127.0.0.1:9001.")
    URI url;

    @Option(names = "--agent", paramLabel = "NAME", defaultValue = "weft",
            description = "The name the reports file the results under (default: ${DEFAULT-VALUE}).")
    String agent;

    @Mixin
    TransportOption transport;

    @Mixin
    VerboseOption verbose;

    private final Terminal terminal;

    TesteeClientCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws InterruptedException {
        WebSocketConfig config = WebSocketConfig.builder()
                .maxMessageSize(MAX_MESSAGE)
                .maxFrameSize(MAX_MESSAGE)
                .extensions(List.of())
                .build();
        try (Dialer client = dialer(config)) {
            int count;
            URI countUri = at("getCaseCount");
            try {
                count = caseCount(client, countUri);
            } catch (ExecutionException | NumberFormatException e) {
                failed(e, "cannot get the case count from " + countUri);
                return 2;
            }
            terminal.err().println("running " + count + " cases from " + url + " as agent " + agent);
            terminal.err().flush();
            for (int n = 1; n <= count; n++) {
                runCase(client, n, count);
            }
            URI reports = at("updateReports?agent=" + encode(agent));
            try {
                CloseStatus status = echoUntilClosed(client, reports);
                terminal.err().println("reports updated (" + status + ")");
                return 0;
            } catch (ExecutionException e) {
                failed(e, "cannot update the reports at " + reports);
                return 1;
            }
        }
    }

    /** The client of {@code --transport}, with room on NIO for the echo of the largest message. */
    private Dialer dialer(WebSocketConfig config) {
        return transport.blocking() ? Dialer.of(BlockingWebSocketClient.builder().config(config).build())
                : Dialer.of(WebSocketClient.builder().config(config)
                        .transport(ServeCommand.transportFor(MAX_MESSAGE, null)).build());
    }

    private void runCase(Dialer client, int n, int count) throws InterruptedException {
        URI uri = at("runCase?case=" + n + "&agent=" + encode(agent));
        long start = System.nanoTime();
        String outcome;
        try {
            CloseStatus status = echoUntilClosed(client, uri);
            outcome = "closed " + status;
        } catch (ExecutionException e) {
            // The suite judges each case from its side; a case we could not even run is one more
            // result for its report, not a reason to stop.
            outcome = Failures.connectFailure(uri, e.getCause());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        terminal.err().println("case " + n + "/" + count + ": " + outcome + " (" + millis + " ms)");
        terminal.err().flush();
    }

    /** Connects to {@code uri}, echoes whatever comes, and returns once the server has closed. */
    private static CloseStatus echoUntilClosed(Dialer client, URI uri)
            throws ExecutionException, InterruptedException {
        CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
        client.connect(uri, Headers.empty(), new EchoHandler(closed::complete));
        // The session's idle and close timeouts bound this wait.
        return closed.get();
    }

    /** The number the server sends on {@code getCaseCount}, as one text message before it closes. */
    private static int caseCount(Dialer client, URI uri) throws ExecutionException, InterruptedException {
        CompletableFuture<String> text = new CompletableFuture<>();
        CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
        client.connect(uri, Headers.empty(), new WebSocketHandler() {
            @Override
            public void onText(Connection connection, String message) {
                text.complete(message);
            }

            @Override
            public void onClose(Connection connection, int code, String reason) {
                closed.complete(new CloseStatus(code, reason));
            }
        });
        CloseStatus status = closed.get();
        if (!text.isDone()) {
            throw new ExecutionException(new IllegalStateException("the server closed (" + status + ") without sending it"));
        }
        return Integer.parseInt(text.get().trim());
    }

    private void failed(Exception e, String what) {
        terminal.err().println("weft: " + what + ": " + Failures.describe(e));
        if (verbose.verbose) {
            Failures.unwrap(e).printStackTrace(terminal.err());
        }
        terminal.err().flush();
    }

    /** {@code URL/path}, whether or not the URL ends with a slash. */
    private URI at(String pathAndQuery) {
        String base = url.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + pathAndQuery);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
