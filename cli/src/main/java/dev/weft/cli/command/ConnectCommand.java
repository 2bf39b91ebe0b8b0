package dev.weft.cli.command;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.HttpProxy;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.Headers;
import dev.weft.api.reconnect.Reconnect;
import dev.weft.cli.Terminal;
import dev.weft.transport.blocking.BlockingWebSocketClient;
import dev.weft.transport.nio.WebSocketClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * {@code weft connect URL}: a line-oriented client. Each line of standard input is sent as a text
 * message; each message received is printed on standard output, one per line. At the end of the
 * input it closes with 1000 and waits for the close handshake, so replies still on their way are
 * printed first.
 *
 * <p>Standard error gets one {@code connected to ...} line, and {@code closed: CODE REASON} if the
 * server closes first. With {@code --reconnect}, a dropped connection is opened again with backoff
 * (each attempt on standard error, then {@code reconnected to ...}); lines typed meanwhile are not
 * sent, and said so. Exit status: 0 after a normal close (1000 or 1001), 1 after any other, 2 if
 * the connection could not be opened.
 */
@Command(name = "connect",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Send input lines to a server and print what comes back.",
        description = {
            "",
            "Each line of standard input is sent as a text message (UTF-8); each message received "
                    + "is printed on standard output, binary ones as their size and first bytes in hex. At the "
                    + "end of the input the connection is closed with 1000, after the replies still "
                    + "on their way.",
            "",
            "With --reconnect, a connection that drops is opened again, with exponential backoff "
                    + "and jitter from 0.5 s up to 30 s; each attempt is printed on standard error. It "
                    + "gives up when the server closes with 1003 or 1008 or refuses the upgrade with "
                    + "an HTTP 3xx or 4xx status. Lines typed while it is disconnected are not sent.",
            "",
            "Exit status: 0 after a 1000 or 1001 close, 1 after any other, 2 if it cannot connect.",
            ""},
        footer = {"", "Examples:", "  printf 'hello\\n' | weft connect ws://127.0.0.1:8080/echo",
            "  printf 'hello\\n' | weft connect ws://127.0.0.1:8080/echo --transport blocking",
            "  weft connect ws://127.0.0.1:8080/echo --reconnect",
            "  weft connect wss://echo.example/ --proxy http://user:secret@proxy.corp:3128"})
final class ConnectCommand implements Callable<Integer> {

    /** How many bytes of a binary message are shown in hex. */
    private static final int HEX_PREFIX = 16;

    @Parameters(index = "0", paramLabel = "URL", description = "The server, such as ws://127.0.0.1:8080/echo.")
    URI url;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'",
            description = "An extra header for the opening handshake; may be repeated.")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-s", "--subprotocol"}, paramLabel = "PROTOCOL",
            description = "A subprotocol to offer, in order of preference; may be repeated.")
    List<String> subprotocols = new ArrayList<>();

    @Option(names = "--reconnect",
            description = "Open the connection again each time it drops, with backoff; print each attempt on standard error.")
    boolean reconnect;

    @Mixin
    TransportOption transport;

    @Mixin
    TlsClientOptions tlsOptions;

    @Mixin
    ProxyOption proxy;

    @Mixin
    ExtensionsOption extensions;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    private final Terminal terminal;

    ConnectCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws InterruptedException {
        Headers extra = parseHeaders();
        // Only what --extensions names is offered: by default, what is typed is what goes on the wire.
        WebSocketConfig config = WebSocketConfig.builder()
                .extensions(extensions.select(false))
                .subprotocols(subprotocols)
                .build();
        Dialer dialer;
        try {
            dialer = dialer(config);
        } catch (IOException | GeneralSecurityException e) {
            terminal.err().println("weft: cannot read the certificate " + tlsOptions.trustCertificate + ": "
                    + Failures.describe(e));
            return 2;
        }
        try (dialer) {
            Printer printer = new Printer();
            Connection connection;
            try {
                connection = reconnect ? dialer.connect(url, extra, printer, reconnectPolicy())
                        : dialer.connect(url, extra, printer);
            } catch (ExecutionException e) {
                terminal.err().println("weft: " + Failures.connectFailure(url, e.getCause()));
                if (verbose.verbose) {
                    Failures.unwrap(e).printStackTrace(terminal.err());
                }
                terminal.err().flush();
                return 2;
            }
            terminal.err().println("connected to " + url + " (" + describe(connection) + ")");
            terminal.err().flush();
            boolean inputRead = sendLines(connection, printer);
            int status = finish(connection, printer, config.closeTimeout());
            return inputRead ? status : Math.max(status, 1);
        }
    }

    /**
     * The client of {@code --transport}, trusting {@code wss://} servers as the TLS options say, through
     * the proxy {@code --proxy} or the environment names.
     */
    private Dialer dialer(WebSocketConfig config) throws IOException, GeneralSecurityException {
        Optional<HttpProxy> via = proxy.forTarget(url);
        if (transport.blocking()) {
            BlockingWebSocketClient.Builder builder = BlockingWebSocketClient.builder().config(config).tls(tlsOptions.tls());
            via.ifPresent(builder::proxy);
            return Dialer.of(builder.build());
        }
        WebSocketClient.Builder builder = WebSocketClient.builder().config(config).secureLayer(tlsOptions.layer());
        via.ifPresent(builder::proxy);
        return Dialer.of(builder.build());
    }

    /** Reconnects with the default backoff, telling standard error about each attempt and each reconnect. */
    private Reconnect reconnectPolicy() {
        return Reconnect.builder()
                .onAttempt((attempt, delay, cause) -> {
                    terminal.err().printf("reconnecting to %s: attempt %d in %d ms (%s)%n",
                            url, attempt, delay.toMillis(), Failures.describe(cause));
                    terminal.err().flush();
                })
                .onReconnect(connection -> {
                    terminal.err().println("reconnected to " + url + " (" + describe(connection) + ")");
                    terminal.err().flush();
                })
                .build();
    }

    /**
     * Sends each line of standard input, in order, until it ends or the connection does (with
     * {@code --reconnect}, a line typed between connections is dropped, and said so).
     *
     * @return false if standard input could not be read
     */
    private boolean sendLines(Connection connection, Printer printer) {
        BufferedReader lines = new BufferedReader(new InputStreamReader(terminal.in(), StandardCharsets.UTF_8));
        try {
            for (String line; (line = lines.readLine()) != null && !printer.closed.isDone(); ) {
                try {
                    // One line in flight at a time keeps memory flat however long the input is.
                    connection.sendText(line).get();
                } catch (ExecutionException e) {
                    if (connection.state() == ConnectionState.CONNECTING) {
                        terminal.err().println("weft: not sent, reconnecting: " + line);
                        terminal.err().flush();
                        continue;
                    }
                    // The connection is closing or closed: onClose says how it ended.
                    return true;
                }
            }
            return true;
        } catch (IOException e) {
            terminal.err().println("weft: cannot read standard input: " + Failures.describe(e));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Closes (unless the server did first), waits for the close handshake, and picks the exit status. */
    private int finish(Connection connection, Printer printer, Duration closeTimeout) throws InterruptedException {
        if (printer.closingFromHere.compareAndSet(false, true)) {
            connection.close(CloseCodes.NORMAL_CLOSURE, "");
        }
        CloseStatus status;
        try {
            // The session gives up on an unanswered close after closeTimeout; this only guards that.
            status = printer.closed.get(closeTimeout.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            connection.abort();
            terminal.err().println("weft: the close handshake did not complete");
            return 1;
        }
        if (printer.closedByServer) {
            return exitStatus(status);
        }
        if (!status.isNormal()) {
            terminal.err().println("closed: " + status);
            return 1;
        }
        return 0;
    }

    private static int exitStatus(CloseStatus status) {
        return status.isNormal() ? 0 : 1;
    }

    /** {@code subprotocol: chat, extensions: none}. */
    private static String describe(Connection connection) {
        String extensions = connection.extensions().isEmpty() ? "none"
                : connection.extensions().stream().map(ExtensionParameters::toString).collect(Collectors.joining(", "));
        return "subprotocol: " + connection.subprotocol().orElse("none") + ", extensions: " + extensions;
    }

    private Headers parseHeaders() {
        Headers.Builder builder = Headers.builder();
        for (String header : headers) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new ParameterException(spec.commandLine(), "a header is 'Name: value': " + header);
            }
            try {
                builder.add(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "bad header '" + header + "': " + e.getMessage());
            }
        }
        return builder.build();
    }

    /** {@code <binary 3 bytes: 010203>}, or with {@code ...} after the first 16 bytes. */
    static String binarySummary(ByteBuffer data) {
        int n = data.remaining();
        byte[] prefix = new byte[Math.min(n, HEX_PREFIX)];
        data.duplicate().get(prefix);
        return "<binary " + n + " bytes: " + HexFormat.of().formatHex(prefix) + (n > HEX_PREFIX ? "..." : "") + ">";
    }

    /** Prints what arrives, and tells the main thread when the connection has closed. */
    private final class Printer implements WebSocketHandler {
        final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
        /** Set before this side closes, so that a close arriving later is known as the answer. */
        final AtomicBoolean closingFromHere = new AtomicBoolean();
        volatile boolean closedByServer;

        @Override
        public void onText(Connection connection, String text) {
            terminal.out().println(text);
            terminal.out().flush();
        }

        @Override
        public void onBinary(Connection connection, ByteBuffer data) {
            terminal.out().println(binarySummary(data));
            terminal.out().flush();
        }

        @Override
        public void onError(Connection connection, Throwable error) {
            terminal.err().println("weft: " + Failures.describe(error));
            if (verbose.verbose) {
                error.printStackTrace(terminal.err());
            }
        }

        @Override
        public void onClose(Connection connection, int code, String reason) {
            CloseStatus status = new CloseStatus(code, reason);
            if (closingFromHere.compareAndSet(false, true)) {
                closedByServer = true;
                terminal.err().println("closed: " + status);
                terminal.err().flush();
                closed.complete(status);
                // The main thread may be blocked reading standard input, where nothing wakes it.
                terminal.exit(exitStatus(status));
                return;
            }
            closed.complete(status);
        }
    }
}
