package dev.weft.cli.command;

import dev.weft.api.Message;
import dev.weft.testing.RedisServer;
import dev.weft.transport.blocking.BlockingWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.weft.cli.command.CliRun.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged {@code weft.jar}, run as real processes the way a user runs it: a server on a port
 * the system picks, clients piping their input, and the server stopped with SIGTERM.
 */
class WeftJarIT {

    private static final Path JAR = Path.of(System.getProperty("weft.jar", "target/weft.jar"));
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** The access line of an echo connection that sent two lines and closed: short logger names, key=value fields. */
    private static final String ACCESS_LINE = "\\[\\d\\d:\\d\\d:\\d\\d] INFO access: 127\\.0\\.0\\.1:\\d+ path=/echo "
            + "subprotocol=- extensions=\\S+ duration=\\d+\\.\\d{3}s messages_in=2 bytes_in=\\d+ messages_out=2 "
            + "bytes_out=\\d+ close=1000 reason=\"[^\"]*\" closed_by=remote";
    /** util-linux script(1), which runs a command on a pseudo-terminal (Debian has it by default). */
    private static final Path SCRIPT = Path.of("/usr/bin/script");

    private final List<Process> processes = new ArrayList<>();

    /** A process started by a test, with its output captured as it comes. */
    private record Run(Process process, LineCapture out, LineCapture err) {
        /** The exit status, once the process has ended and all its output has been read. */
        int awaitExit() throws InterruptedException {
            assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "still running:\n" + err.text());
            out.awaitEnd(WAIT);
            err.awaitEnd(WAIT);
            return process.exitValue();
        }

        void type(String text) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write(text.getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
    }

    @AfterEach
    void killLeftovers() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
    }

    @Test
    void serveEchoesForConnectAndStopsCleanlyOnSigterm() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "build the jar first: " + JAR.toAbsolutePath());
        Run server = weft("serve", "--port", "0");
        String listening = server.out().awaitStartingWith("listening on ws://127.0.0.1:", WAIT);
        String base = address(listening);

        Run echo = weft("connect", base + "/echo");
        echo.type("hello\nwörld ✓\n");
        echo.process().getOutputStream().close();
        assertEquals(0, echo.awaitExit(), echo.err().text());
        assertEquals("hello\nwörld ✓\n", echo.out().text());
        assertEquals("connected to " + base + "/echo (subprotocol: none, extensions: none)", echo.err().lines().get(0));

        // A client whose input is still open hears the server go away, and exits by itself.
        Run waiting = weft("connect", base + "/chat/it");
        waiting.err().awaitStartingWith("connected to ", WAIT);

        sigterm(server);
        assertEquals(0, server.awaitExit(), server.err().text());
        assertTrue(server.err().lines().contains("stopped"), server.err().text());
        // Log lines are one line each: [time] LEVEL logger: message; the echo client's has its counts.
        assertTrue(server.err().lines().stream().anyMatch(l -> l.matches(ACCESS_LINE)), server.err().text());
        assertEquals(List.of(listening), server.out().lines());
        assertListeningSaidOnce(server);

        assertEquals(0, waiting.awaitExit(), waiting.err().text());
        assertEquals("closed: 1001 server shutting down", waiting.err().lines().get(1));
    }

    @Test
    void serveAndConnectRunOnTheBlockingTransport() throws Exception {
        Run server = weft("serve", "--port", "0", "--transport", "blocking");
        String listening = server.out().awaitStartingWith("listening on ws://127.0.0.1:", WAIT);
        assertTrue(listening.endsWith(" (blocking, " + ((Runtime.version().feature() >= 21 ? "virtual" : "platform") + " threads") + ")"), listening);
        String base = address(listening);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base.replace("ws://", "http://") + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>Weft demo</title>"), page.body());

        Run echo = weft("connect", base + "/echo", "--transport", "blocking");
        echo.type("hello\nwörld ✓\n");
        echo.process().getOutputStream().close();
        assertEquals(0, echo.awaitExit(), echo.err().text());
        assertEquals("hello\nwörld ✓\n", echo.out().text());

        Run waiting = weft("connect", base + "/chat/it", "--transport", "blocking");
        waiting.err().awaitStartingWith("connected to ", WAIT);

        sigterm(server);
        assertEquals(0, server.awaitExit(), server.err().text());
        assertTrue(server.err().lines().contains("stopped"), server.err().text());
        assertTrue(server.err().lines().stream().anyMatch(l -> l.matches(ACCESS_LINE)), server.err().text());
        assertListeningSaidOnce(server);
        assertEquals(0, waiting.awaitExit(), waiting.err().text());
        assertEquals("closed: 1001 server shutting down", waiting.err().lines().get(1));
    }

    @Test
    void connectToNothingFailsWithOneLine() throws Exception {
        Run server = weft("serve", "--port", "0");
        String base = address(server.out().awaitStartingWith("listening on ", WAIT));

        Run missing = weft("connect", base + "/missing");
        missing.process().getOutputStream().close();
        assertEquals(2, missing.awaitExit());
        assertEquals(List.of("weft: handshake failed: server answered 404 Not Found"), missing.err().lines());

        sigterm(server);
        assertEquals(0, server.awaitExit(), server.err().text());
    }

    @Test
    void benchRunsFromTheJarAgainstServeWithCompression() throws Exception {
        Run server = weft("serve", "--port", "0");
        String base = address(server.out().awaitStartingWith("listening on ", WAIT));

        Run bench = weft("bench", base + "/echo", "--connections", "4", "--size", "4096", "--duration", "1",
                "--warmup", "0.5", "--extensions", "permessage-deflate", "--json");
        assertEquals(0, bench.awaitExit(), bench.err().text());
        String json = bench.out().text();
        assertTrue(json.contains("\"extensions\":[\"permessage-deflate") && json.contains("\"errors\":0"), json);

        sigterm(server);
        assertEquals(0, server.awaitExit(), server.err().text());
    }

    @Test
    void threeServeProcessesShareAChatRoomThroughRedis(@TempDir Path directory) throws Exception {
        NeedsRedis.check();
        try (RedisServer redis = RedisServer.start(directory)) {
            String cluster = redis.uri().toString();
            Run a = weft("serve", "--port", "0", "--cluster", cluster, "--node", "node-a");
            Run b = weft("serve", "--port", "0", "--cluster", cluster, "--node", "node-b", "--transport", "blocking");
            Run c = weft("serve", "--port", "0", "--cluster", cluster);
            List<String> bases = new ArrayList<>();
            for (Run node : List.of(a, b, c)) {
                bases.add(address(node.out().awaitStartingWith("listening on ", WAIT)));
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String info = http.send(HttpRequest.newBuilder(URI.create(bases.get(1).replace("ws://", "http://") + "/info"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertEquals("{\"node\":\"node-b\",\"cluster\":\"" + cluster + "\"}", info);

            List<BlockingWebSocket> members = new ArrayList<>();
            try {
                for (String base : bases) {
                    BlockingWebSocket member = BlockingWebSocket.connect(URI.create(base + "/chat/it"));
                    members.add(member);
                    member.sendText("joined"); // its own message back shows it has joined
                    assertEquals(Message.text("joined"), member.receive(WAIT));
                }
                awaitSubscribers(redis, "weft:room:it", 3);
                for (int from = 0; from < 3; from++) {
                    members.get(from).sendText("hello from " + from);
                }
                for (BlockingWebSocket member : members) {
                    List<String> heard = new ArrayList<>();
                    while (heard.size() < 3) {
                        String text = ((Message.Text) member.receive(WAIT)).text();
                        if (text.startsWith("hello from ")) {
                            heard.add(text);
                        }
                    }
                    heard.sort(null);
                    assertEquals(List.of("hello from 0", "hello from 1", "hello from 2"), heard);
                }
            } finally {
                for (BlockingWebSocket member : members) {
                    member.close();
                }
            }
            for (Run node : List.of(a, b, c)) {
                sigterm(node);
                assertEquals(0, node.awaitExit(), node.err().text());
            }
            awaitSubscribers(redis, "weft:room:it", 0);
        }
    }

    /** Waits until Redis counts {@code expected} subscribers of {@code channel}; fails after {@link CliRun#WAIT}. */
    private static void awaitSubscribers(RedisServer redis, String channel, long expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long now;
        while ((now = redis.subscribers(channel)) != expected) {
            assertTrue(System.nanoTime() - deadline < 0, channel + " has " + now + " subscribers, not " + expected);
            TimeUnit.MILLISECONDS.sleep(20); // a poll interval, not a wait for an outcome
        }
    }

    @Test
    void versionAndHelp() throws Exception {
        Run version = weft("--version");
        assertEquals(0, version.awaitExit());
        assertEquals("weft 0.1.0-SNAPSHOT", version.out().lines().get(0));

        Run help = weft("--help");
        assertEquals(0, help.awaitExit());
        assertTrue(help.out().text().contains("testee-client"), help.out().text());
    }

    /**
     * {@code weft connect} on a real terminal, a pseudo-terminal from util-linux {@code script},
     * against {@code weft serve}'s chat: a message that arrives while a line is half typed is
     * printed above the prompt, and the prompt with the half-typed line is drawn again below it;
     * Ctrl-C closes with 1000, as the server's access log shows.
     */
    @Test
    void connectOnATerminalRedrawsThePromptAroundArrivingMessagesAndClosesWith1000OnCtrlC() throws Exception {
        assertTrue(Files.isExecutable(SCRIPT), "util-linux script(1) is needed for a pseudo-terminal: " + SCRIPT);
        Run server = weft("serve", "--port", "0");
        String url = address(server.out().awaitStartingWith("listening on ", WAIT)) + "/chat/x";
        // script gives the command a terminal whose size is 0x0 unless told.
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), "-qfec", "stty cols 200 rows 50; exec '" + JAVA
                + "' -jar '" + JAR + "' connect " + url.substring("ws://".length()), "/dev/null");
        builder.environment().put("TERM", "xterm-256color");
        builder.environment().remove("NO_COLOR");
        builder.redirectErrorStream(true);
        Process p = builder.start();
        processes.add(p);
        Run alice = new Run(p, LineCapture.drain(p.getInputStream(), "connect on a terminal"), new LineCapture());
        alice.err().end();

        alice.out().awaitText(WeftJarIT::screen, s -> s.contains("connected to " + url + " (subprotocol: none, extensions: none)\n> "), WAIT);
        alice.type("hello\r");
        // The prompt again: the line editor reads the terminal once more, so what is typed next is its.
        alice.out().awaitText(WeftJarIT::screen, s -> s.endsWith("< hello\n> "), WAIT);
        alice.type("half");
        alice.out().awaitText(WeftJarIT::screen, s -> s.endsWith("> half"), WAIT);

        try (BlockingWebSocket bob = BlockingWebSocket.connect(URI.create(url))) {
            bob.sendText("from bob");
            assertEquals(Message.text("from bob"), bob.receive(WAIT));
            alice.out().awaitText(WeftJarIT::screen, s -> s.contains("< from bob"), WAIT);
            // Drawn again below the message: the prompt and the half-typed line.
            alice.out().awaitText(WeftJarIT::screen, s -> s.substring(s.lastIndexOf("< from bob")).contains("\n> half"), WAIT);

            alice.type("\u0003");
            assertEquals(0, alice.awaitExit(), alice.out().text());
            assertTrue(screen(alice.out().text()).contains("\nclosed: 1000\n"), alice.out().text());
            assertTrue(alice.out().text().contains("\u001b[36m<\u001b[0m from bob"), "the < marker in colour");
            // Alice's line (two messages out: hers and bob's), while bob is still connected.
            server.err().await(line -> line.contains(" INFO access: ") && line.contains(" path=/chat/x ")
                    && line.contains(" messages_in=1 ") && line.contains(" messages_out=2 ")
                    && line.contains(" close=1000 ") && line.endsWith(" closed_by=remote"), WAIT);
        }
        sigterm(server);
        assertEquals(0, server.awaitExit(), server.err().text());
    }

    /** What a terminal shows, roughly: the output without escape sequences, and with CR LF as LF. */
    private static String screen(String output) {
        return output.replaceAll("\u001b\\[[0-?]*[ -/]*[@-~]|\u001b[=>]", "").replaceAll("\r+\n", "\n").replace("\r", "");
    }

    /** {@code ws://127.0.0.1:PORT} of {@code listening on ws://127.0.0.1:PORT (TRANSPORT)}. */
    /** "listening on" is on standard output, for scripts, and not said again in a log line. */
    private static void assertListeningSaidOnce(Run server) {
        assertTrue(server.err().lines().stream().noneMatch(l -> l.contains("listening on")), server.err().text());
    }

    private static String address(String listening) {
        return listening.split(" ")[2];
    }

    /**
     * Sends SIGTERM. Through the process handle: {@link Process#destroy()} sends the same signal but
     * also closes this side's ends of the pipes, so what the process says while stopping is lost.
     */
    private static void sigterm(Run run) {
        assertTrue(run.process().toHandle().destroy(), "SIGTERM not sent");
    }

    private Run weft(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        processes.add(p);
        String name = String.join(" ", args);
        return new Run(p, LineCapture.drain(p.getInputStream(), name + " stdout"),
                LineCapture.drain(p.getErrorStream(), name + " stderr"));
    }
}
