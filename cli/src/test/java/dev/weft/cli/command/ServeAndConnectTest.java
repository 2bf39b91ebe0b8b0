package dev.weft.cli.command;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.transport.nio.WebSocketClient;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.weft.cli.command.CliRun.WAIT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code weft serve} and {@code weft connect}, run in-process over real sockets on 127.0.0.1: one
 * server for the whole class, on a port the system picks, read from what the server prints.
 */
class ServeAndConnectTest {

    private static final Pattern LISTENING = Pattern.compile("listening on ws://127\\.0\\.0\\.1:(\\d+) \\(nio, 2 event loops\\)");

    private static CliRun serve;
    private static String base;

    @BeforeAll
    static void startServer() throws Exception {
        serve = CliRun.start("", "serve", "--port", "0", "--threads", "2", "--max-message-size", "" + (64 << 20));
        String line = serve.out.awaitStartingWith("listening on ", WAIT);
        Matcher m = LISTENING.matcher(line);
        assertTrue(m.matches(), line);
        base = "127.0.0.1:" + m.group(1);
    }

    @AfterAll
    static void stopServer() throws Exception {
        serve.subcommand("serve", ServeCommand.class).stop();
        assertEquals(0, serve.exitCode());
        assertTrue(serve.err.lines().contains("stopped"), serve.err.text());
        assertEquals(List.of("listening on ws://" + base + " (nio, 2 event loops)"), serve.out.lines(),
                "only the address goes to stdout");
    }

    @Test
    void connectEchoesEachLineOfInput() throws Exception {
        CliRun connect = CliRun.start("hello\nwörld ✓\n\nlast line without newline", "connect", "ws://" + base + "/echo");

        assertEquals(0, connect.exitCode(), connect.err.text());
        assertEquals("hello\nwörld ✓\n\nlast line without newline\n", connect.out.text());
        assertEquals(List.of("connected to ws://" + base + "/echo (subprotocol: none, extensions: none)"),
                connect.err.lines());
    }

    @Test
    void connectOffersTheExtensionsItIsToldAndServeAcceptsThem() throws Exception {
        CliRun connect = CliRun.start("compressed {\"json\": true}\n", "connect", "ws://" + base + "/echo",
                "--extensions", "permessage-deflate");

        assertEquals(0, connect.exitCode(), connect.err.text());
        assertEquals("compressed {\"json\": true}\n", connect.out.text());
        assertEquals(List.of("connected to ws://" + base + "/echo (subprotocol: none, extensions: permessage-deflate)"),
                connect.err.lines());
    }

    @Test
    void chatRelaysToEveryoneInTheRoomOnly() throws Exception {
        PipedOutputStream aliceTypes = new PipedOutputStream();
        CliRun alice = CliRun.start(new PipedInputStream(aliceTypes), "connect", "ws://" + base + "/chat/room1");
        alice.err.awaitStartingWith("connected to ", WAIT);
        // Alice's own message coming back shows she is in the room before Bob speaks.
        aliceTypes.write("ready\n".getBytes(StandardCharsets.UTF_8));
        aliceTypes.flush();
        alice.out.await("ready"::equals, WAIT);

        CliRun carol = CliRun.start("only for room2\n", "connect", "ws://" + base + "/chat/room2");
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
    void chatWithoutARoomIsTheLobby() throws Exception {
        PipedOutputStream types = new PipedOutputStream();
        CliRun plain = CliRun.start(new PipedInputStream(types), "connect", "ws://" + base + "/chat");
        plain.err.awaitStartingWith("connected to ", WAIT);
        types.write("ready\n".getBytes(StandardCharsets.UTF_8));
        types.flush();
        plain.out.await("ready"::equals, WAIT);

        CliRun lobby = CliRun.start("hello lobby\n", "connect", "ws://" + base + "/chat/lobby");
        assertEquals(0, lobby.exitCode(), lobby.err.text());
        plain.out.await("hello lobby"::equals, WAIT);
        types.close();
        assertEquals(0, plain.exitCode(), plain.err.text());
    }

    @Test
    void echoIsByteExactForMessagesAboveTheLibraryDefaults() throws Exception {
        // 20 MiB: over the library's default 16 MiB message limit and write-queue limit, under the 64 MiB asked of serve.
        byte[] big = new byte[20 << 20];
        new Random(6455).nextBytes(big);
        String text = "ü".repeat(1 << 20);
        WebSocketConfig config = WebSocketConfig.builder()
                .maxMessageSize(64 << 20).maxFrameSize(64 << 20).extensions(List.of()).build();
        try (WebSocketClient client = WebSocketClient.builder().config(config)
                .transport(ServeCommand.transportFor(64 << 20, null)).build()) {
            CompletableFuture<ByteBuffer> binary = new CompletableFuture<>();
            CompletableFuture<String> echoedText = new CompletableFuture<>();
            Connection c = client.connect(URI.create("ws://" + base + "/echo"), new WebSocketHandler() {
                @Override
                public void onBinary(Connection connection, ByteBuffer data) {
                    binary.complete(data);
                }

                @Override
                public void onText(Connection connection, String t) {
                    echoedText.complete(t);
                }
            }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            c.sendBinary(ByteBuffer.wrap(big));
            c.sendText(text);
            ByteBuffer back = binary.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            byte[] bytes = new byte[back.remaining()];
            back.get(bytes);
            assertArrayEquals(big, bytes);
            assertEquals(text, echoedText.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            c.close();
        }
    }

    @Test
    void connectPrintsBinaryMessagesAsAHexSummary() {
        assertEquals("<binary 3 bytes: 0102ff>", ConnectCommand.binarySummary(ByteBuffer.wrap(new byte[] {1, 2, -1})));
        byte[] seventeen = new byte[17];
        seventeen[0] = (byte) 0xab;
        assertEquals("<binary 17 bytes: ab000000000000000000000000000000...>",
                ConnectCommand.binarySummary(ByteBuffer.wrap(seventeen)));
        assertEquals("<binary 0 bytes: >", ConnectCommand.binarySummary(ByteBuffer.allocate(0)));
    }

    @Test
    void serverClosingFirstIsReportedWithItsCode() throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1)
                .endpoint("/bye", () -> new WebSocketHandler() {
                    @Override
                    public void onText(Connection c, String text) {
                        c.close(4000, "not today");
                    }
                }).build().start()) {
            PipedOutputStream types = new PipedOutputStream();
            CliRun connect = CliRun.start(new PipedInputStream(types), "connect", "ws://127.0.0.1:" + server.port() + "/bye");
            connect.err.awaitStartingWith("connected to ", WAIT);
            types.write("hello\n".getBytes(StandardCharsets.UTF_8));
            types.flush();
            connect.err.await("closed: 4000 not today"::equals, WAIT);
            // In a real process the command exits right away; in-process it returns once its input ends.
            types.close();
            assertEquals(1, connect.exitCode(), connect.err.text());
        }
    }

    @Test
    void pageIsServedOverPlainHttp() throws Exception {
        // HTTP/1.1 explicitly: by default HttpClient asks to upgrade to h2c, and the transport takes
        // any request with an Upgrade header for a WebSocket upgrade (404: no endpoint at /).
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://" + base + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().toString());
        assertTrue(page.body().contains("<title>Weft demo</title>"), page.body());
        for (String file : List.of("app.js", "style.css")) {
            HttpResponse<String> asset = http.send(HttpRequest.newBuilder(URI.create("http://" + base + "/" + file)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, asset.statusCode(), file);
            assertTrue(page.body().contains("src=\"" + file + "\"") || page.body().contains("href=\"" + file + "\""), file);
        }
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create("http://" + base + "/nothing-here")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
    }

    @Test
    void connectToAClosedPortFailsWithStatusTwo() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "ws://127.0.0.1:" + closedPort + "/echo";
        CliRun connect = CliRun.run("connect", url);

        assertEquals(2, connect.exitCode());
        assertEquals(List.of("weft: cannot connect to " + url + ": connection refused (is a server listening on 127.0.0.1:"
                + closedPort + "?)"), connect.err.lines());
        assertEquals("", connect.out.text());
    }

    @Test
    void connectToAPathWithNoEndpointFailsWithTheStatus() throws Exception {
        CliRun connect = CliRun.run("connect", "ws://" + base + "/no-such-endpoint");

        assertEquals(2, connect.exitCode());
        assertEquals(List.of("weft: handshake failed: server answered 404 Not Found"), connect.err.lines());
    }

    @Test
    void aUrlTheClientCannotUseIsExplained() throws Exception {
        CliRun connect = CliRun.run("connect", "ftp://127.0.0.1:1/echo");

        assertEquals(2, connect.exitCode());
        assertEquals(1, connect.err.lines().size(), connect.err.text());
        assertTrue(connect.err.lines().get(0).startsWith("weft: not a ws, wss, http or https URI: ftp://127.0.0.1:1/echo"),
                connect.err.text());
    }

    @Test
    void connectSendsHeadersAndSubprotocols() throws Exception {
        CompletableFuture<String> header = new CompletableFuture<>();
        WebSocketConfig config = WebSocketConfig.builder().subprotocols(List.of("chat.v2")).build();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(config)
                .endpoint("/h", request -> {
                    header.complete(request.header("X-Token").orElse("(none)"));
                    return EchoHandler.SHARED;
                }).build().start()) {
            String url = "ws://127.0.0.1:" + server.port() + "/h";
            CliRun connect = CliRun.start("x\n", "connect", url, "-H", "X-Token: s3cret", "--subprotocol", "chat.v1",
                    "--subprotocol", "chat.v2");

            assertEquals(0, connect.exitCode(), connect.err.text());
            assertEquals("s3cret", header.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals("connected to " + url + " (subprotocol: chat.v2, extensions: none)", connect.err.lines().get(0));
        }
    }

    @Test
    void badHeaderIsAUsageError() throws Exception {
        CliRun connect = CliRun.run("connect", "ws://" + base + "/echo", "-H", "no colon here");

        assertEquals(2, connect.exitCode());
        assertTrue(connect.err.text().startsWith("weft: a header is 'Name: value': no colon here\nTry 'weft connect --help'."), connect.err.text());
    }
}
