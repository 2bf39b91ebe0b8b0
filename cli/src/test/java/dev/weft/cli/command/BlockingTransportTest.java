package dev.weft.cli.command;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.weft.cli.command.CliRun.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --transport blocking}: one {@code weft serve --transport blocking} for the class, talked
 * to by {@code weft connect} on either transport and by the JDK's HttpClient, and
 * {@code weft connect --transport blocking} against servers of its own. Same output as on NIO.
 */
class BlockingTransportTest {

    private static final Pattern LISTENING = Pattern.compile("listening on ws://(127\\.0\\.0\\.1:\\d+) \\((.*)\\)");
    private static final int MAX_MESSAGE = 64 * 1024;

    private static CliRun serve;
    private static String listening;
    private static String base;

    @BeforeAll
    static void startServer() throws Exception {
        serve = CliRun.start("", "serve", "--transport", "blocking", "--port", "0",
                "--max-message-size", Integer.toString(MAX_MESSAGE));
        listening = serve.out.awaitStartingWith("listening on ", WAIT);
        Matcher m = LISTENING.matcher(listening);
        assertTrue(m.matches(), listening);
        base = m.group(1);
        assertEquals("blocking, " + (Runtime.version().feature() >= 21 ? "virtual" : "platform") + " threads", m.group(2));
    }

    @AfterAll
    static void stopServer() throws Exception {
        serve.subcommand("serve", ServeCommand.class).stop();
        assertEquals(0, serve.exitCode(), serve.err.text());
        assertTrue(serve.err.lines().contains("stopped"), serve.err.text());
        assertEquals(List.of(listening), serve.out.lines(), "only the address goes to stdout");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "blocking"})
    void echoesEachLineOfInput(String client) throws Exception {
        CliRun connect = CliRun.start("hello\nwörld ✓\n\nlast line without newline", "connect", "ws://" + base + "/echo",
                "--transport", client);

        assertEquals(0, connect.exitCode(), connect.err.text());
        assertEquals("hello\nwörld ✓\n\nlast line without newline\n", connect.out.text());
        assertEquals(List.of("connected to ws://" + base + "/echo (subprotocol: none, extensions: none)"),
                connect.err.lines());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "blocking"})
    void acceptsTheExtensionsOffered(String client) throws Exception {
        CliRun connect = CliRun.start("compressed {\"json\": true}\n", "connect", "ws://" + base + "/echo",
                "--transport", client, "--extensions", "permessage-deflate");

        assertEquals(0, connect.exitCode(), connect.err.text());
        assertEquals("compressed {\"json\": true}\n", connect.out.text());
        assertEquals(List.of("connected to ws://" + base + "/echo (subprotocol: none, extensions: permessage-deflate)"),
                connect.err.lines());
    }

    @Test
    void aMessageOverMaxMessageSizeIsRefusedWith1009() throws Exception {
        CliRun connect = CliRun.start("x".repeat(MAX_MESSAGE + 1) + "\n", "connect", "ws://" + base + "/echo",
                "--transport", "blocking");

        assertEquals(1, connect.exitCode(), connect.err.text());
        assertTrue(connect.err.lines().get(1).startsWith("closed: 1009"), connect.err.text());
    }

    @Test
    void chatRelaysBetweenClientsOfEitherTransportInTheRoomOnly() throws Exception {
        PipedOutputStream aliceTypes = new PipedOutputStream();
        CliRun alice = CliRun.start(new PipedInputStream(aliceTypes), "connect", "ws://" + base + "/chat/room1",
                "--transport", "blocking");
        alice.err.awaitStartingWith("connected to ", WAIT);
        // Alice's own message coming back shows she is in the room before Bob speaks.
        aliceTypes.write("ready\n".getBytes(StandardCharsets.UTF_8));
        aliceTypes.flush();
        alice.out.await("ready"::equals, WAIT);

        CliRun carol = CliRun.start("only for room2\n", "connect", "ws://" + base + "/chat/room2", "--transport", "blocking");
        assertEquals(0, carol.exitCode(), carol.err.text());
        CliRun bob = CliRun.start("hi from bob\n", "connect", "ws://" + base + "/chat/room1");
        assertEquals(0, bob.exitCode(), bob.err.text());
        assertEquals("hi from bob\n", bob.out.text(), "the sender is in the room too");
        alice.out.await("hi from bob"::equals, WAIT);

        aliceTypes.close();
        assertEquals(0, alice.exitCode(), alice.err.text());
        assertEquals("ready\nhi from bob\n", alice.out.text());
        assertEquals("only for room2\n", carol.out.text());
    }

    @Test
    void pageIsServedOverPlainHttp() throws Exception {
        // HTTP/1.1 explicitly: HttpClient would otherwise ask to upgrade to h2c.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> page = get(http, "/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().toString());
        assertTrue(page.body().contains("<title>Weft demo</title>"), page.body());
        assertEquals(200, get(http, "/app.js").statusCode());
        assertEquals(404, get(http, "/nothing-here").statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--threads 2|weft: --threads sets the NIO event loops; --transport blocking runs a thread per connection",
        "--stats-interval 1|weft: --stats-interval prints the NIO server's counters; --transport blocking keeps none"})
    void serveRefusesWhatOnlyNioDoes(String optionsAndError) throws Exception {
        String[] parts = optionsAndError.split("\\|");
        List<String> args = new ArrayList<>(List.of("serve", "--transport", "blocking", "--port", "0"));
        args.addAll(List.of(parts[0].split(" ")));
        CliRun refused = CliRun.run(args.toArray(String[]::new));

        assertEquals(2, refused.exitCode());
        assertEquals(List.of(parts[1]), refused.err.lines());
        assertEquals("", refused.out.text());
    }

    @Test
    void anUnknownTransportIsAUsageError() throws Exception {
        CliRun serve = CliRun.run("serve", "--transport", "epoll");

        assertEquals(2, serve.exitCode());
        assertTrue(serve.err.text().contains("expected nio or blocking, not 'epoll'"), serve.err.text());
    }

    @Test
    void helpNamesTheTransportAndWhatOnlyNioTakes() throws Exception {
        String help = CliRun.run("serve", "--help").out.text().replaceAll("\\s+", " ");
        assertTrue(help.contains("--transport=nio|blocking"), help);
        assertTrue(help.contains("(default: nio)"), help);
        assertTrue(help.contains("--threads and --stats-interval work with nio only"), help);
    }

    @Test
    void connectReportsTheServerClosingFirst() throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1)
                .endpoint("/bye", () -> new WebSocketHandler() {
                    @Override
                    public void onText(Connection c, String text) {
                        c.close(4000, "not today");
                    }
                }).build().start()) {
            PipedOutputStream types = new PipedOutputStream();
            CliRun connect = CliRun.start(new PipedInputStream(types), "connect", "ws://127.0.0.1:" + server.port() + "/bye",
                    "--transport", "blocking");
            connect.err.awaitStartingWith("connected to ", WAIT);
            types.write("hello\n".getBytes(StandardCharsets.UTF_8));
            types.flush();
            connect.err.await("closed: 4000 not today"::equals, WAIT);
            types.close();
            assertEquals(1, connect.exitCode(), connect.err.text());
        }
    }

    @Test
    void connectFailuresAreReportedOnOneLineAsOnNio() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String nowhere = "ws://127.0.0.1:" + closedPort + "/echo";
        assertConnectFails(List.of("weft: cannot connect to " + nowhere + ": connection refused (is a server listening on 127.0.0.1:"
                + closedPort + "?)"), nowhere);
        assertConnectFails(List.of("weft: handshake failed: server answered 404 Not Found"), "ws://" + base + "/no-such-endpoint");
        assertConnectFails(List.of("weft: not a ws, wss, http or https URI: ftp://127.0.0.1:1/echo"), "ftp://127.0.0.1:1/echo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "blocking"})
    void wssServedByTheBlockingTransportWithASelfSignedCertificate(String client) throws Exception {
        CliRun wss = CliRun.start("", "serve", "--transport", "blocking", "--port", "0", "--tls-self-signed");
        try {
            Matcher m = Pattern.compile("listening on wss://(127\\.0\\.0\\.1:\\d+) \\(blocking, .*\\)")
                    .matcher(wss.out.awaitStartingWith("listening on ", WAIT));
            assertTrue(m.matches());
            String certificate = wss.err.awaitStartingWith("self-signed certificate", WAIT)
                    .replaceAll(".*--trust-cert (\\S+)' or use --insecure$", "$1");
            CliRun connect = CliRun.start("secure hello\n", "connect", "wss://" + m.group(1) + "/echo",
                    "--transport", client, "--trust-cert", certificate);
            assertEquals(0, connect.exitCode(), connect.err.text());
            assertEquals("secure hello\n", connect.out.text());
        } finally {
            wss.subcommand("serve", ServeCommand.class).stop();
            assertEquals(0, wss.exitCode(), wss.err.text());
        }
    }

    private static void assertConnectFails(List<String> err, String url, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("connect", url, "--transport", "blocking"));
        args.addAll(List.of(more));
        CliRun connect = CliRun.run(args.toArray(String[]::new));
        assertEquals(2, connect.exitCode(), connect.err.text());
        assertEquals(err, connect.err.lines());
        assertEquals("", connect.out.text());
    }

    private static HttpResponse<String> get(HttpClient http, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
