package dev.weft.cli.command;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code weft bench} against echo servers on 127.0.0.1: an honest one (every figure consistent, no
 * errors) and one that alters an echo now and then (the alteration is counted and the exit status
 * says so).
 */
class BenchCommandTest {

    private static WebSocketServer server;

    @BeforeAll
    static void startServers() {
        AtomicLong echoes = new AtomicLong();
        server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1)
                .endpoint("/echo", EchoHandler::new)
                .endpoint("/faulty", () -> new WebSocketHandler() {
                    @Override
                    public void onText(Connection c, String text) {
                        // Every 50th echo has its last character changed.
                        boolean alter = echoes.incrementAndGet() % 50 == 0 && !text.isEmpty();
                        c.sendText(alter ? text.substring(0, text.length() - 1) + "!" : text);
                    }
                })
                .build().start();
    }

    @AfterAll
    static void stopServers() {
        server.close();
    }

    private static String url(String path) {
        return "ws://127.0.0.1:" + server.port() + path;
    }

    @Test
    void aClosedLoopRunReportsConsistentFiguresAndNoErrors() throws Exception {
        CliRun bench = CliRun.run("bench", url("/echo"), "--connections", "3", "--size", "100",
                "--duration", "0.5", "--warmup", "0.2", "--json");
        assertEquals(0, bench.exitCode(), bench.err.text());
        String json = bench.out.text().trim();
        assertEquals(0, number(json, "errors"), json);
        assertEquals(3, number(json, "connections"), json);
        long messages = (long) number(json, "messages");
        assertTrue(messages > 0, json);
        // messages/s and MB/s follow from the count, the size and the measured time.
        double seconds = number(json, "seconds");
        // To the precision the JSON gives: messages/s to 0.1, and the seconds it is checked against to
        // 1e-6, whose rounding moves the quotient by up to rate × 0.5e-6 / seconds.
        double rate = messages / seconds;
        double secondsRounding = rate * 0.5e-6 / seconds;
        assertEquals(rate, number(json, "messagesPerSecond"), 0.05 + secondsRounding, json);
        assertEquals(rate * 100 / 1e6, number(json, "megabytesPerSecond"), 0.5e-3 + secondsRounding * 100 / 1e6, json);
        double p50 = number(json, "p50");
        double p99 = number(json, "p99");
        assertTrue(0 < p50 && p50 <= p99 && p99 <= number(json, "max"), json);
        assertTrue(json.contains("\"extensions\":[]"), json);
    }

    @Test
    void pipelinedBinaryRunsAndSmallMessagesAreCheckedToo() throws Exception {
        for (String size : new String[] {"0", "5", "70000"}) {
            CliRun bench = CliRun.run("bench", url("/echo"), "--connections", "2", "--size", size, "--binary",
                    "--inflight", "8", "--duration", "0.3", "--warmup", "0", "--json");
            assertEquals(0, bench.exitCode(), bench.err.text());
            String json = bench.out.text();
            assertEquals(0, number(json, "errors"), json);
            assertTrue(number(json, "messages") > 0, json);
            assertTrue(json.contains("\"binary\":true,\"inflight\":8"), json);
        }
    }

    @Test
    void extensionsNamedAreOfferedAndReported() throws Exception {
        CliRun bench = CliRun.run("bench", url("/echo"), "--connections", "1", "--size", "4096",
                "--extensions", "permessage-deflate", "--duration", "0.3", "--warmup", "0", "--json");
        assertEquals(0, bench.exitCode(), bench.err.text());
        String json = bench.out.text();
        assertTrue(json.contains("\"extensions\":[\"permessage-deflate"), json);
        assertEquals(0, number(json, "errors"), json);
    }

    @Test
    void anAlteredEchoIsCountedAndFailsTheRun() throws Exception {
        CliRun bench = CliRun.run("bench", url("/faulty"), "--connections", "2", "--size", "64",
                "--duration", "0.5", "--warmup", "0", "--json");
        assertEquals(1, bench.exitCode(), bench.out.text() + bench.err.text());
        String json = bench.out.text();
        assertTrue(number(json, "mismatch") >= 1, json);
    }

    @Test
    void theTextSummaryGivesEveryFigure() throws Exception {
        CliRun bench = CliRun.run("bench", url("/echo"), "--connections", "1", "--duration", "0.2", "--warmup", "0");
        assertEquals(0, bench.exitCode(), bench.err.text());
        String text = bench.out.text();
        for (String label : new String[] {"msg/s", "MB/s each way", "p50", "p90", "p99", "p99.9", "max", "errors       0"}) {
            assertTrue(text.contains(label), label + " in\n" + text);
        }
    }

    @Test
    void noServerMeansExitStatus2() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CliRun bench = CliRun.run("bench", "ws://127.0.0.1:" + port + "/echo", "--duration", "0.1");
        assertEquals(2, bench.exitCode());
        assertTrue(bench.err.text().contains("weft: "), bench.err.text());
    }

    @Test
    void nonsenseOptionsAreRefused() throws Exception {
        for (String[] options : new String[][] {{"--connections", "0"}, {"--inflight", "0"}, {"--size", "-1"},
                {"--duration", "0"}}) {
            String[] args = new String[options.length + 2];
            args[0] = "bench";
            args[1] = url("/echo");
            System.arraycopy(options, 0, args, 2, options.length);
            CliRun bench = CliRun.run(args);
            assertEquals(2, bench.exitCode(), String.join(" ", options));
        }
    }

    /** The number after {@code "key":} in a JSON text. */
    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }
}
