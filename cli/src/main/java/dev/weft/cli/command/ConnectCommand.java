package dev.weft.cli.command;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.HttpProxy;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.HandshakeResponse;
import dev.weft.api.handshake.Headers;
import dev.weft.api.reconnect.Reconnect;
import dev.weft.cli.Terminal;
import dev.weft.cli.connect.BinaryFormat;
import dev.weft.cli.connect.ConnectEvents;
import dev.weft.cli.connect.ConnectEvents.Direction;
import dev.weft.cli.connect.Lines;
import dev.weft.cli.connect.Prompt;
import dev.weft.cli.connect.SlashCommand;
import dev.weft.cli.connect.Style;
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
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code weft connect URL}: a WebSocket client for a person at a terminal or for a script.
 *
 * <p>When standard input and output are both a terminal (and neither {@code -x} nor {@code --json}
 * is given), it shows a prompt that is drawn again below each line that arrives, marks what arrives
 * with {@code <} (in colour), and takes slash commands ({@link SlashCommand}); Ctrl-C and Ctrl-D
 * close with 1000. Otherwise each line of standard input is sent as a text message and each message
 * received is printed on standard output, one per line; at the end of the input it closes with
 * 1000 and waits for the close handshake, so replies still on their way are printed first. With
 * {@code -x}, the messages given are sent instead of standard input. {@code --json} prints every
 * event as a JSON object a line.
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
        header = "Talk to a WebSocket server from a terminal or a script.",
        description = {
            "",
            "On a terminal: type a line to send it; what arrives is printed above the prompt, marked "
                    + "'<'. Slash commands: /ping [TEXT], /pong [TEXT], /close [CODE [REASON]], /binary HEX, "
                    + "/help; a line starting with // sends the text after the first /. Ctrl-D or Ctrl-C "
                    + "closes with 1000.",
            "",
            "Otherwise each line of standard input is sent as a text message (UTF-8); each message "
                    + "received is printed on standard output, binary ones as their size and first bytes in hex. At the "
                    + "end of the input the connection is closed with 1000, after the replies still "
                    + "on their way.",
            "",
            "With -x, the messages given are sent in order instead, and the connection is closed as "
                    + "at the end of the input: at once, or after --wait SECONDS for a server that "
                    + "answers later.",
            "",
            "With --reconnect, a connection that drops is opened again, with exponential backoff "
                    + "and jitter from 0.5 s up to 30 s; each attempt is printed on standard error. It "
                    + "gives up when the server closes with 1003 or 1008 or refuses the upgrade with "
                    + "an HTTP 3xx or 4xx status. Lines typed while it is disconnected are not sent.",
            "",
            "A URL without a scheme is a ws:// URL.",
            "",
            "Exit status: 0 after a 1000 or 1001 close, 1 after any other, 2 if it cannot connect.",
            ""},
        footer = {"", "Examples:", "  weft connect 127.0.0.1:8080/chat/lobby",
            "  printf 'hello\\n' | weft connect ws://127.0.0.1:8080/echo",
            "  weft connect ws://127.0.0.1:8080/echo -x hello -x world --json",
            "  weft connect ws://127.0.0.1:8080/echo --transport blocking",
            "  weft connect ws://127.0.0.1:8080/echo --reconnect",
            "  weft connect wss://echo.example/ --proxy http://user:secret@proxy.corp:3128"})
final class ConnectCommand implements Callable<Integer> {

    /** The bytes of an empty ping or pong. */
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    @Parameters(index = "0", paramLabel = "URL",
            description = "The server, such as ws://127.0.0.1:8080/echo; without a scheme, ws:// is meant.")
    String address;

    @Option(names = {"-x", "--execute"}, paramLabel = "MESSAGE",
            description = "Send this text message instead of reading standard input; may be repeated, "
                    + "sent in order. Then close, as at the end of the input.")
    List<String> execute = new ArrayList<>();

    @Option(names = {"-w", "--wait"}, paramLabel = "SECONDS",
            description = "After the last message of -x or of standard input, wait this long for "
                    + "messages before closing (default: close at once; replies to what was sent "
                    + "still arrive before the close completes).")
    double waitSeconds;

    @Option(names = "--json",
            description = "Print each event (open, text, binary, ping, pong, close, error) on standard "
                    + "output as one JSON object a line, sent messages included.")
    boolean json;

    @Option(names = {"-P", "--show-ping-pong"}, description = "Show pings and pongs, sent and received.")
    boolean showPingPong;

    @Option(names = "--ping-interval", paramLabel = "SECONDS",
            description = "Send a ping this often while the connection is open.")
    Double pingInterval;

    @Option(names = "--base64", description = "Show binary data in base64 rather than hex.")
    boolean base64;

    @Option(names = "--no-color", description = "No colour on a terminal (as with NO_COLOR set).")
    boolean noColor;

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
    public Integer call() throws InterruptedException, IOException {
        URI url = url(address);
        checkSeconds("--wait", waitSeconds, true);
        if (pingInterval != null) {
            checkSeconds("--ping-interval", pingInterval, false);
        }
        Headers extra = parseHeaders();
        // Only what --extensions names is offered: by default, what is typed is what goes on the wire.
        WebSocketConfig config = WebSocketConfig.builder()
                .extensions(extensions.select(false))
                .subprotocols(subprotocols)
                .build();
        Dialer dialer;
        try {
            dialer = dialer(url, config);
        } catch (IOException | GeneralSecurityException e) {
            terminal.err().println("weft: cannot read the certificate " + tlsOptions.trustCertificate + ": "
                    + Failures.describe(e));
            return 2;
        }
        boolean interactive = execute.isEmpty() && !json && terminal.isInteractive();
        Style style = Style.of(Style.colourFor(interactive, noColor, System.getenv()));
        BinaryFormat format = base64 ? BinaryFormat.BASE64 : BinaryFormat.HEX;
        try (dialer; Prompt prompt = interactive ? Prompt.open(style) : null) {
            Lines lines = prompt != null ? prompt : new StandardLines();
            ConnectEvents events = json ? ConnectEvents.json(lines, format)
                    : ConnectEvents.human(lines, format, interactive ? style : null);
            Session session = new Session(url, events, prompt);
            Connection connection;
            try {
                connection = reconnect ? dialer.connect(url, extra, session, reconnectPolicy(url, events))
                        : dialer.connect(url, extra, session);
            } catch (ExecutionException e) {
                terminal.err().println("weft: " + ConnectFailure.describe(url, e.getCause()));
                if (verbose.verbose) {
                    Failures.unwrap(e).printStackTrace(terminal.err());
                }
                terminal.err().flush();
                return 2;
            }
            if (verbose.verbose) {
                heads(connection).forEach(events::note);
            }
            events.open(url, connection);
            return session.run(connection, config.closeTimeout());
        }
    }

    /**
     * {@code address} as a URI: one without a scheme is a {@code ws://} URI, as a person typing
     * {@code 127.0.0.1:8080/echo} means.
     */
    URI url(String address) {
        String withScheme = address.matches("(?i)[a-z][a-z0-9+.-]*://.*") ? address : "ws://" + address;
        try {
            URI url = new URI(withScheme);
            if (url.getPort() > 65535) {
                throw new ParameterException(spec.commandLine(), "not a URL: '" + address + "' (port "
                        + url.getPort() + " is above 65535)");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new ParameterException(spec.commandLine(), "not a URL: '" + address + "' ("
                    + e.getReason().toLowerCase(Locale.ROOT) + " at index " + e.getIndex() + ")");
        }
    }

    private void checkSeconds(String option, double seconds, boolean zeroAllowed) {
        if (!Double.isFinite(seconds) || seconds < 0 || !zeroAllowed && seconds == 0) {
            throw new ParameterException(spec.commandLine(), option + " takes a number of seconds "
                    + (zeroAllowed ? "of 0 or more" : "above 0") + ", not " + seconds);
        }
    }

    /**
     * The client of {@code --transport}, trusting {@code wss://} servers as the TLS options say, through
     * the proxy {@code --proxy} or the environment names.
     */
    private Dialer dialer(URI url, WebSocketConfig config) throws IOException, GeneralSecurityException {
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

    /** Reconnects with the default backoff, telling about each attempt and each reconnect. */
    private Reconnect reconnectPolicy(URI url, ConnectEvents events) {
        return Reconnect.builder()
                .onAttempt((attempt, delay, cause) -> events.note(String.format(Locale.ROOT,
                        "reconnecting to %s: attempt %d in %d ms (%s)", url, attempt, delay.toMillis(), Failures.describe(cause))))
                .onReconnect(connection -> events.note("reconnected to " + url + " (" + ConnectEvents.agreed(connection) + ")"))
                .build();
    }

    /** The opening handshake as {@code -v} shows it: {@code > } before the request's lines, {@code < } before the response's. */
    static List<String> heads(Connection connection) {
        List<String> lines = new ArrayList<>();
        HandshakeRequest request = connection.handshakeRequest();
        lines.add("> " + request.method() + " " + request.target() + " " + request.version());
        request.headers().forEach((name, value) -> lines.add("> " + name + ": " + value));
        HandshakeResponse response = connection.handshakeResponse();
        lines.add("< HTTP/1.1 " + response.status() + (response.reason().isEmpty() ? "" : " " + response.reason()));
        response.headers().forEach((name, value) -> lines.add("< " + name + ": " + value));
        return lines;
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
        return BinaryFormat.HEX.summary(data);
    }

    /** Standard output and standard error, flushed after each line so that a pipe gets it at once. */
    private final class StandardLines implements Lines {
        @Override
        public void out(String line) {
            terminal.out().println(line);
            terminal.out().flush();
        }

        @Override
        public void err(String line) {
            terminal.err().println(line);
            terminal.err().flush();
        }
    }

    /**
     * One connection's life: what is sent (typed, piped or given with {@code -x}), what arrives, and
     * the close. Its handler methods run on the client's thread, {@link #run} on the command's.
     */
    private final class Session implements WebSocketHandler {
        private final URI url;
        private final ConnectEvents events;
        private final Prompt prompt;
        final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
        /** Set before this side closes, so that a close arriving later is known as the answer. */
        final AtomicBoolean closingFromHere = new AtomicBoolean();

        Session(URI url, ConnectEvents events, Prompt prompt) {
            this.url = url;
            this.events = events;
            this.prompt = prompt;
        }

        /** Sends what there is to send, closes, and returns the exit status. */
        int run(Connection connection, Duration closeTimeout) throws InterruptedException {
            ScheduledExecutorService pinger = pingInterval == null ? null : startPinging(connection);
            try {
                boolean inputRead = true;
                if (prompt != null) {
                    converse(connection);
                } else if (!execute.isEmpty()) {
                    for (String message : execute) {
                        if (!send(connection, message)) {
                            break;
                        }
                    }
                    linger();
                } else {
                    inputRead = sendLines(connection);
                    linger();
                }
                int status = finish(connection, CloseCodes.NORMAL_CLOSURE, "", closeTimeout);
                return inputRead ? status : Math.max(status, 1);
            } finally {
                if (pinger != null) {
                    pinger.shutdownNow();
                }
            }
        }

        private ScheduledExecutorService startPinging(Connection connection) {
            ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "weft-connect-ping");
                thread.setDaemon(true);
                return thread;
            });
            long periodMillis = Math.max(1, Math.round(pingInterval * 1000));
            pinger.scheduleAtFixedRate(() -> {
                if (connection.isOpen()) {
                    if (showPingPong) {
                        events.ping(Direction.SENT, EMPTY);
                    }
                    connection.ping(EMPTY.duplicate());
                }
            }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
            return pinger;
        }

        /** Reads typed lines until Ctrl-C, Ctrl-D, {@code /close} or the end of the connection. */
        private void converse(Connection connection) throws InterruptedException {
            while (!closed.isDone()) {
                Optional<String> typed = prompt.readLine();
                if (typed.isEmpty()) {
                    return;
                }
                String line = typed.get();
                if (!SlashCommand.isCommand(line)) {
                    send(connection, SlashCommand.text(line));
                    continue;
                }
                SlashCommand command;
                try {
                    command = SlashCommand.parse(line);
                } catch (IllegalArgumentException e) {
                    events.error(e.getMessage());
                    continue;
                }
                if (command instanceof SlashCommand.Close c) {
                    if (closingFromHere.compareAndSet(false, true)) {
                        connection.close(c.code(), c.reason());
                    }
                    return;
                }
                perform(connection, command);
            }
        }

        private void perform(Connection connection, SlashCommand command) {
            if (command instanceof SlashCommand.Ping p) {
                if (showPingPong) {
                    events.ping(Direction.SENT, ByteBuffer.wrap(p.payload()));
                }
                connection.ping(ByteBuffer.wrap(p.payload()));
            } else if (command instanceof SlashCommand.Pong p) {
                if (showPingPong) {
                    events.pong(Direction.SENT, ByteBuffer.wrap(p.payload()));
                }
                connection.pong(ByteBuffer.wrap(p.payload()));
            } else if (command instanceof SlashCommand.Binary b) {
                events.binary(Direction.SENT, ByteBuffer.wrap(b.data()));
                connection.sendBinary(ByteBuffer.wrap(b.data()));
            } else if (command instanceof SlashCommand.Help) {
                SlashCommand.HELP.lines().forEach(events::note);
            }
        }

        /**
         * Sends {@code text} and waits until it is written: one message in flight at a time keeps
         * memory flat however long the input is.
         *
         * @return false once the connection is closing or closed
         */
        private boolean send(Connection connection, String text) throws InterruptedException {
            // Reported first, so that it comes before the reply in the output.
            events.text(Direction.SENT, text);
            try {
                connection.sendText(text).get();
                return true;
            } catch (ExecutionException e) {
                if (connection.state() == ConnectionState.CONNECTING) {
                    events.note("weft: not sent, reconnecting: " + text);
                    return true;
                }
                // The connection is closing or closed: onClose says how it ended.
                return false;
            }
        }

        /**
         * Sends each line of standard input, in order, until it ends or the connection does.
         *
         * @return false if standard input could not be read
         */
        private boolean sendLines(Connection connection) throws InterruptedException {
            BufferedReader lines = new BufferedReader(new InputStreamReader(terminal.in(), StandardCharsets.UTF_8));
            try {
                for (String line; !closed.isDone() && (line = lines.readLine()) != null; ) {
                    if (!send(connection, line)) {
                        return true;
                    }
                }
                return true;
            } catch (IOException e) {
                terminal.err().println("weft: cannot read standard input: " + Failures.describe(e));
                return false;
            }
        }

        /** Waits {@code --wait} seconds for what the server still has to say, unless it closes first. */
        private void linger() throws InterruptedException {
            if (waitSeconds > 0) {
                try {
                    closed.get(Math.round(waitSeconds * 1000), TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // Waited long enough (or the connection closed): the close comes next.
                }
            }
        }

        /** Closes (unless either side did already), waits for the close handshake, and picks the exit status. */
        private int finish(Connection connection, int code, String reason, Duration closeTimeout) throws InterruptedException {
            if (closingFromHere.compareAndSet(false, true)) {
                connection.close(code, reason);
            }
            CloseStatus status;
            try {
                // The session gives up on an unanswered close after closeTimeout; this only guards that.
                status = closed.get(closeTimeout.toSeconds() + 5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                connection.abort();
                events.error("the close handshake did not complete");
                return 1;
            }
            return status.isNormal() ? 0 : 1;
        }

        @Override
        public void onText(Connection connection, String text) {
            events.text(Direction.RECEIVED, text);
        }

        @Override
        public void onBinary(Connection connection, ByteBuffer data) {
            events.binary(Direction.RECEIVED, data);
        }

        @Override
        public void onPing(Connection connection, ByteBuffer data) {
            if (showPingPong) {
                events.ping(Direction.RECEIVED, data);
                // The session has queued the answer already (auto-pong).
                events.pong(Direction.SENT, data);
            }
        }

        @Override
        public void onPong(Connection connection, ByteBuffer data) {
            if (showPingPong) {
                events.pong(Direction.RECEIVED, data);
            }
        }

        @Override
        public void onError(Connection connection, Throwable error) {
            events.error(Failures.describe(error));
            if (verbose.verbose) {
                error.printStackTrace(terminal.err());
            }
        }

        @Override
        public void onClose(Connection connection, int code, String reason) {
            CloseStatus status = new CloseStatus(code, reason);
            boolean byServer = closingFromHere.compareAndSet(false, true);
            events.close(byServer, code, reason);
            closed.complete(status);
            if (byServer) {
                // The main thread may be blocked reading standard input or the terminal, where
                // nothing wakes it (JLine gives the terminal back on the way out).
                terminal.exit(status.isNormal() ? 0 : 1);
            }
        }
    }
}
