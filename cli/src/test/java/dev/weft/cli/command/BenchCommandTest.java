package dev.weft.cli.command;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code weft bench} against echo servers on 127.0.0.1: an honest one (every figure consistent, no
 * errors), one that alters an echo now and then (the alteration is counted and the exit status
 * says so), and one that never answers (an open loop stops at its window and counts the rest).
 */
class BenchCommandTest {

    private static WebSocketServer server;

    @BeforeAll
    static void startServers() {
        AtomicLong echoes = new AtomicLong();
        server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1)
                .endpoint("/echo", request -> EchoHandler.SHARED)
                .endpoint("/faulty", () -> new WebSocketHandler() {
                    @Override
                    public void onText(Connection c, String text) {
                        // Every 50th echo has its last character changed.
                        boolean alter = echoes.incrementAndGet() % 50 == 0 && !text.isEmpty();
                        c.sendText(alter ? text.substring(0, text.length() - 1) + "!" : text);
                    }
                })
                .endpoint("/silent", () -> new WebSocketHandler() {
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
        long before = System.nanoTime();
        CliRun bench = CliRun.run("bench", url("/echo"), "--connections", "3", "--size", "100",
                "--duration", "0.5", "--warmup", "0.2", "--json");
        double wallMicros = (System.nanoTime() - before) / 1e3;
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

        Map<String, Object> summary = ParsedJson.object(json);
        Map<String, Object> latency = object(summary, "latencyMicros");
        double mean = (double) latency.get("mean");
        assertTrue(0 < mean && mean <= p99 * 10 && mean <= number(json, "max"), json);
        assertTrue((double) latency.get("stdev") >= 0, json);
        assertEquals("send", summary.get("latencyFrom"), json);
        assertNull(summary.get("rate"), json);
        assertTrue((double) summary.get("sent") > 0, json);
        assertEquals(0.0, summary.get("late"), json);
        assertEquals(0.0, summary.get("skipped"), json);
        // Connect times: one per connection, each within the run.
        Map<String, Object> connect = object(summary, "connectMicros");
        double connectP50 = (double) connect.get("p50");
        double connectMax = (double) connect.get("max");
        assertTrue(0 < connectP50 && connectP50 <= (double) connect.get("p99") && (double) connect.get("p99") <= connectMax
                && connectMax <= wallMicros, json + " in " + wallMicros + " µs");
        // benchmarks/compare.sh takes the first "p50" it finds: the round trip's.
        assertTrue(json.indexOf("\"latencyMicros\"") < json.indexOf("\"p50\"")
                && json.indexOf("\"p50\"") < json.indexOf("\"connectMicros\""), json);
    }

    @Test
    void anOpenLoopSendsTheScheduledMessagesAndPrintsEachSecondAsJson() throws Exception {
        int rate = 400;
        int connections = 3;
        CliRun bench = CliRun.run("bench", url("/echo"), "--connections", String.valueOf(connections), "--rate",
                String.valueOf(rate), "--duration", "0.5", "--warmup", "0.2", "--json", "--json-interval");
        assertEquals(0, bench.exitCode(), bench.err.text());
        List<String> lines = bench.out.text().lines().toList();
        // One line for the warm-up (shorter than a second), one for the measured time, then the summary.
        assertEquals(3, lines.size(), bench.out.text());
        double lastElapsed = 0;
        for (String line : lines.subList(0, 2)) {
            Map<String, Object> interval = ParsedJson.object(line);
            assertEquals((double) connections, interval.get("open"), line);
            assertEquals(0.0, interval.get("errors"), line);
            assertTrue((double) interval.get("late") >= 0, line);
            assertTrue((double) interval.get("messages") >= 0, line);
            double elapsed = (double) interval.get("elapsed");
            assertTrue(elapsed > lastElapsed, line);
            lastElapsed = elapsed;
            assertTrue(object(interval, "latencyMicros").containsKey("p99"), line);
        }
        assertEquals("warm-up", ParsedJson.object(lines.get(0)).get("phase"));
        assertEquals("measuring", ParsedJson.object(lines.get(1)).get("phase"));
        assertTrue(lastElapsed >= 0.7, lines.get(1));

        String json = lines.get(2);
        Map<String, Object> summary = ParsedJson.object(json);
        assertEquals("schedule", summary.get("latencyFrom"), json);
        assertEquals((double) rate, summary.get("rate"), json);
        assertEquals(0.0, summary.get("errors"), json);
        double seconds = (double) summary.get("seconds");
        double sent = (double) summary.get("sent");
        double scheduled = sent + (double) summary.get("skipped");
        // Each connection's schedule holds at most one message more than its share of the time, and
        // (having opened during the warm-up) at most one fewer.
        assertTrue(sent > 0 && sent <= rate * seconds + connections, json);
        assertTrue(scheduled >= rate * seconds - connections - 1 && scheduled <= rate * seconds + connections, json);
        assertTrue((double) summary.get("late") <= sent, json);
        assertTrue((double) summary.get("messages") > 0, json);
    }

    @Test
    void anOpenLoopAgainstAServerThatNeverAnswersStopsAtItsWindow() throws Exception {
        int connections = 2;
        int window = 4;
        CliRun bench = CliRun.run("bench", url("/silent"), "--connections", String.valueOf(connections), "--rate", "2000",
                "--inflight", String.valueOf(window), "--duration", "0.3", "--warmup", "0", "--json");
        assertEquals(0, bench.exitCode(), bench.err.text());
        assertTrue(bench.err.text().contains("had not come back"), bench.err.text());
        String json = bench.out.text();
        Map<String, Object> summary = ParsedJson.object(json.trim());
        double sent = (double) summary.get("sent");
        double skipped = (double) summary.get("skipped");
        assertTrue(sent <= connections * window, json);
        assertTrue(sent + skipped >= 2000 * (double) summary.get("seconds") - connections - 1, json);
        assertTrue(skipped > 0, json);
        assertEquals(0.0, summary.get("messages"), json);
    }

    @Test
    void theHistogramFileIsHdrHistogramsPercentileDistribution() throws Exception {
        Path hgrm = Files.createTempFile("bench", ".hgrm");
        try {
            CliRun bench = CliRun.run("bench", url("/echo"), "--connections", "2", "--duration", "0.3", "--warmup", "0",
                    "--hgrm", hgrm.toString());
            assertEquals(0, bench.exitCode(), bench.err.text());
            List<String> lines = Files.readAllLines(hgrm);
            assertTrue(lines.get(0).trim().matches("Value\\s+Percentile\\s+TotalCount\\s+1/\\(1-Percentile\\)"),
                    String.join("\n", lines));
            List<String[]> rows = lines.stream().skip(1).map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.split("\\s+")).toList();
            assertTrue(rows.size() > 1, String.join("\n", lines));
            double lastPercentile = -1;
            for (String[] row : rows) {
                double percentile = Double.parseDouble(row[1]);
                assertTrue(percentile >= lastPercentile && Double.parseDouble(row[0]) >= 0, String.join(" ", row));
                lastPercentile = percentile;
            }
            assertEquals(1.0, lastPercentile, String.join("\n", lines));
            assertTrue(Long.parseLong(rows.get(rows.size() - 1)[2]) > 0);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("#[Mean")), String.join("\n", lines));
        } finally {
            Files.deleteIfExists(hgrm);
        }
    }

    @Test
    void anUnwritableHistogramFileIsAStartUpFailure() throws Exception {
        Path dir = Files.createTempDirectory("bench");
        try {
            CliRun bench = CliRun.run("bench", url("/echo"), "--duration", "0.1", "--hgrm", dir.resolve("no/such.hgrm").toString());
            assertEquals(2, bench.exitCode(), bench.err.text());
            assertTrue(bench.err.text().startsWith("weft: cannot write "), bench.err.text());
        } finally {
            Files.delete(dir);
        }
    }

    @Test
    void progressLinesCountTheSecondsOnceEachWithTheOpenConnections() throws Exception {
        CliRun bench = CliRun.run("bench", url("/echo"), "--connections", "1", "--duration", "3.2", "--warmup", "0");
        assertEquals(0, bench.exitCode(), bench.err.text());
        Pattern line = Pattern.compile("\\[ *([0-9.]+)/3\\.2 s\\] measuring +1 open .* msg/s +p99 .* ms +errors 0");
        List<Double> elapsed = new ArrayList<>();
        for (String l : bench.err.text().lines().toList()) {
            Matcher m = line.matcher(l);
            assertTrue(m.matches(), l);
            elapsed.add(Double.parseDouble(m.group(1)));
        }
        // Ticks at 1, 2 and 3 s, then the end: none repeated.
        assertEquals(4, elapsed.size(), bench.err.text());
        for (int i = 1; i < elapsed.size(); i++) {
            assertTrue(elapsed.get(i) > elapsed.get(i - 1), bench.err.text());
        }
        assertTrue(elapsed.get(3) >= 3.2, bench.err.text());
        assertTrue(bench.out.text().contains("1 connection, "), bench.out.text());
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
        for (String label : new String[] {"msg/s", "MB/s each way", "p50", "p90", "p99", "p99.9", "max", "mean", "stdev",
            "from each send", "closed loop", "connect      p50", "errors       0"}) {
            assertTrue(text.contains(label), label + " in\n" + text);
        }
        CliRun open = CliRun.run("bench", url("/echo"), "--connections", "1", "--rate", "100", "--duration", "0.2",
                "--warmup", "0");
        assertEquals(0, open.exitCode(), open.err.text());
        for (String label : new String[] {"open loop: 100 msg/s", "coordinated omission", "sent late", "not sent",
            "errors       0"}) {
            assertTrue(open.out.text().contains(label), label + " in\n" + open.out.text());
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
                {"--duration", "0"}, {"--rate", "0"}, {"--rate", "-5"}, {"--rate", "NaN"}}) {
            String[] args = new String[options.length + 2];
            args[0] = "bench";
            args[1] = url("/echo");
            System.arraycopy(options, 0, args, 2, options.length);
            CliRun bench = CliRun.run(args);
            assertEquals(2, bench.exitCode(), String.join(" ", options));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> json, String key) {
        return (Map<String, Object>) json.get(key);
    }

    /** The number after {@code "key":} in a JSON text. */
    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }
}
