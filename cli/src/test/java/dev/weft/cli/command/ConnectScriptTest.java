package dev.weft.cli.command;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.weft.cli.command.CliRun.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code weft connect} as a script uses it: {@code -x}, {@code --wait}, {@code --json}, {@code -P},
 * {@code -v}, URLs without a scheme and the one-line failures, in-process against {@code weft serve}
 * and servers of the test's own.
 */
class ConnectScriptTest {

    private static final Pattern PORT = Pattern.compile("listening on wss?://127\\.0\\.0\\.1:(\\d+) .*");

    private static CliRun serve;
    private static CliRun serveTls;
    private static String base;
    private static String tlsBase;

    @BeforeAll
    static void startServers() throws Exception {
        serve = CliRun.start("", "serve", "--port", "0", "--threads", "1");
        base = "127.0.0.1:" + port(serve);
        serveTls = CliRun.start("", "serve", "--port", "0", "--threads", "1", "--tls-self-signed");
        tlsBase = "127.0.0.1:" + port(serveTls);
    }

    private static String port(CliRun server) throws InterruptedException {
        Matcher m = PORT.matcher(server.out.awaitStartingWith("listening on ", WAIT));
        assertTrue(m.matches(), server.out.text());
        return m.group(1);
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (CliRun server : List.of(serve, serveTls)) {
            server.subcommand("serve", ServeCommand.class).stop();
            assertEquals(0, server.exitCode());
        }
    }

    @Test
    void executeSendsTheMessagesInOrderInsteadOfStandardInputThenCloses() throws Exception {
        CliRun connect = CliRun.start("not sent\n", "connect", "ws://" + base + "/echo", "-x", "hello", "-x", "wörld ✓");

        assertEquals(0, connect.exitCode(), connect.err.text());
        assertEquals("hello\nwörld ✓\n", connect.out.text());
        assertEquals(List.of("connected to ws://" + base + "/echo (subprotocol: none, extensions: none)"), connect.err.lines());
    }

    @Test
    void aUrlWithoutASchemeIsAWsUrl() throws Exception {
        CliRun connect = CliRun.start("", "connect", base + "/echo", "-x", "hi");

        assertEquals(0, connect.exitCode(), connect.err.text());
        assertEquals("hi\n", connect.out.text());
        assertEquals("connected to ws://" + base + "/echo (subprotocol: none, extensions: none)", connect.err.lines().get(0));
    }

    @Test
    void jsonPrintsEveryEventAsOneObjectALine() throws Exception {
        CliRun connect = CliRun.start("", "connect", "ws://" + base + "/echo", "--json", "-x", "one", "-x", "two \"quoted\"");

        assertEquals(0, connect.exitCode(), connect.err.text());
        List<String> lines = connect.out.lines();
        assertEquals(List.of(
                "{\"event\":\"open\",\"url\":\"ws://" + base + "/echo\",\"subprotocol\":null,\"extensions\":[]}",
                "{\"event\":\"text\",\"direction\":\"sent\",\"text\":\"one\"}",
                "{\"event\":\"text\",\"direction\":\"received\",\"text\":\"one\"}",
                "{\"event\":\"text\",\"direction\":\"sent\",\"text\":\"two \\\"quoted\\\"\"}",
                "{\"event\":\"text\",\"direction\":\"received\",\"text\":\"two \\\"quoted\\\"\"}",
                "{\"event\":\"close\",\"by\":\"client\",\"code\":1000,\"reason\":\"\"}"),
                List.of(lines.get(0), sent(lines, 0), received(lines, 0), sent(lines, 1), received(lines, 1), lines.get(lines.size() - 1)));
        assertEquals(6, lines.size(), connect.out.text());
        assertEquals("", connect.err.text(), "nothing for a person when a script reads the output");
    }

    private static String sent(List<String> lines, int n) {
        return lines.stream().filter(l -> l.contains("\"direction\":\"sent\"")).skip(n).findFirst().orElseThrow();
    }

    private static String received(List<String> lines, int n) {
        return lines.stream().filter(l -> l.contains("\"direction\":\"received\"")).skip(n).findFirst().orElseThrow();
    }

    @Test
    void waitKeepsTheConnectionOpenForRepliesThatComeLater() throws Exception {
        CompletableFuture<Connection> asked = new CompletableFuture<>();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1)
                .endpoint("/later", () -> new WebSocketHandler() {
                    @Override
                    public void onText(Connection c, String text) {
                        asked.complete(c);
                    }
                }).build().start()) {
            CliRun connect = CliRun.start("", "connect", "127.0.0.1:" + server.port() + "/later", "-x", "question", "--wait", "60");
            Connection c = asked.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            c.sendText("the answer, later");
            connect.out.await("the answer, later"::equals, WAIT);
            c.close(1000, "done");

            assertEquals(0, connect.exitCode(), connect.err.text());
            assertEquals("closed: 1000 done", connect.err.lines().get(1));
        }
    }

    @Test
    void showPingPongReportsPingsAndPongsBothWays() throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1)
                .endpoint("/pings", () -> new WebSocketHandler() {
                    @Override
                    public void onOpen(Connection c) {
                        c.ping(ByteBuffer.wrap("hb".getBytes(StandardCharsets.UTF_8)));
                    }

                    @Override
                    public void onPing(Connection c, ByteBuffer data) {
                        // The client's --ping-interval ping: answered (auto-pong) before this close.
                        c.close(1000, "pinged");
                    }
                }).build().start()) {
            CliRun connect = CliRun.start("", "connect", "ws://127.0.0.1:" + server.port() + "/pings",
                    "--json", "-P", "--ping-interval", "0.05", "--wait", "60");

            assertEquals(0, connect.exitCode(), connect.err.text());
            List<String> lines = connect.out.lines();
            assertTrue(lines.containsAll(List.of(
                    "{\"event\":\"ping\",\"direction\":\"received\",\"hex\":\"6862\"}",
                    "{\"event\":\"pong\",\"direction\":\"sent\",\"hex\":\"6862\"}",
                    "{\"event\":\"ping\",\"direction\":\"sent\",\"hex\":\"\"}",
                    "{\"event\":\"pong\",\"direction\":\"received\",\"hex\":\"\"}")), connect.out.text());
            assertEquals("{\"event\":\"close\",\"by\":\"server\",\"code\":1000,\"reason\":\"pinged\"}", lines.get(lines.size() - 1));
        }
    }

    @Test
    void verbosePrintsTheRequestAndResponseHeads() throws Exception {
        CliRun connect = CliRun.start("", "connect", "ws://" + base + "/echo", "-v", "-x", "hi");

        assertEquals(0, connect.exitCode(), connect.err.text());
        List<String> err = connect.err.lines();
        assertEquals("> GET /echo HTTP/1.1", err.get(0));
        assertTrue(err.contains("> Host: " + base), connect.err.text());
        assertTrue(err.contains("> Sec-WebSocket-Version: 13"), connect.err.text());
        assertTrue(err.contains("< HTTP/1.1 101 Switching Protocols"), connect.err.text());
        assertTrue(err.stream().anyMatch(l -> l.startsWith("< Sec-WebSocket-Accept: ")), connect.err.text());
        assertTrue(err.indexOf("< HTTP/1.1 101 Switching Protocols") < err.indexOf(
                "connected to ws://" + base + "/echo (subprotocol: none, extensions: none)"), connect.err.text());
    }

    @Test
    void aRefusedConnectionSaysWhereNothingListens() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        CliRun connect = CliRun.run("connect", "127.0.0.1:" + closedPort);

        assertEquals(2, connect.exitCode());
        assertEquals(List.of("weft: cannot connect to ws://127.0.0.1:" + closedPort
                + ": connection refused (is a server listening on 127.0.0.1:" + closedPort + "?)"), connect.err.lines());
    }

    @Test
    void tlsMixUpsAreOneLineWithAHint() throws Exception {
        CliRun plainToTls = CliRun.run("connect", "ws://" + tlsBase + "/echo");
        assertEquals(2, plainToTls.exitCode());
        assertEquals(List.of("weft: handshake failed: the server closed the connection during the opening handshake"
                + " (if the server speaks TLS, use wss://)"), plainToTls.err.lines());

        CliRun tlsToPlain = CliRun.run("connect", "wss://" + base + "/echo");
        assertEquals(2, tlsToPlain.exitCode());
        assertEquals(List.of("weft: cannot connect to wss://" + base + "/echo: the server does not speak TLS"
                + " (for a plain server, use ws://)"), tlsToPlain.err.lines());

        for (String transport : List.of("nio", "blocking")) {
            CliRun untrusted = CliRun.run("connect", "wss://" + tlsBase + "/echo", "--transport", transport);
            assertEquals(2, untrusted.exitCode());
            assertEquals(List.of("weft: cannot connect to wss://" + tlsBase + "/echo: the server's certificate is not trusted"
                    + " (for a self-signed one, add --trust-cert FILE with the server's certificate, or --insecure for"
                    + " development only)"), untrusted.err.lines());
        }
    }

    @Test
    void aPortAboveTheRangeIsAUsageError() throws Exception {
        CliRun connect = CliRun.run("connect", "ws://127.0.0.1:99999/echo");

        assertEquals(2, connect.exitCode());
        assertTrue(connect.err.text().startsWith("weft: not a URL: 'ws://127.0.0.1:99999/echo' (port 99999 is above 65535)\nTry 'weft connect --help'."),
                connect.err.text());
    }
}
