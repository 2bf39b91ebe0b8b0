package dev.weft.interop;

import dev.weft.transport.nio.WebSocketServer;
import me.normanmaurer.maven.autobahntestsuite.AutobahnTestSuite;
import org.json.simple.JSONObject;
import org.json.simple.parser.JSONParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the Autobahn|Testsuite fuzzing client (the conformance reference for RFC 6455, run under
 * Jython) against a Weft echo server, and fails listing every case whose behaviour is not OK.
 *
 * <p>Every case of the categories below runs: framing (1), pings and pongs (2), reserved bits (3),
 * opcodes (4), fragmentation (5), UTF-8 (6), close handling (7), limits and performance (9) and
 * auto-fragmentation (10). The compression categories (12, 13) wait for permessage-deflate.
 * {@code -Dautobahn.cases=3.*,5.1} runs only some cases, for a quick look at one failure.
 *
 * <p>The suite writes its reports (an HTML page and a JSON file per case, with the frames it
 * expected and those it received) to {@code target/autobahntestsuite-reports/}; this test adds a
 * table of all cases to {@code target/autobahn/summary.txt}.
 *
 * <p>The suite's Twisted reactor cannot be restarted, so it runs once per JVM: keep to one call.
 * Under Jython it is slow: two to three minutes on two cores, most of it in category 9.
 */
class AutobahnTest {

    private static final List<String> CASES = List.of("1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "9.*", "10.*");
    /**
     * How many cases {@link #CASES} holds in this version of the suite. The suite stops early,
     * reporting only the cases it ran, if it cannot connect, so a short count is a failure too.
     */
    private static final int CASE_COUNT = 301;
    private static final String AGENT = "weft";
    /** Fixed by the suite's Java wrapper, relative to the working directory (the module's). */
    private static final Path REPORTS = Path.of("target", "autobahntestsuite-reports");
    private static final Path SUMMARY = Path.of("target", "autobahn", "summary.txt");
    /** Case 9.x sends messages of up to 16 MiB; leave room. */
    private static final int LIMIT = 64 << 20;

    /** A case's result as the suite reports it. */
    private record CaseResult(String id, String behavior, String behaviorClose, Long remoteCloseCode, long durationMillis,
                              String reportFile) {

        boolean ok() {
            return behavior.equals("OK") && behaviorClose.equals("OK");
        }

        /** The suite itself marked the case informational: its outcome is a note, not a verdict. */
        boolean informational() {
            return behavior.equals("INFORMATIONAL") && (behaviorClose.equals("OK") || behaviorClose.equals("INFORMATIONAL"));
        }

        String line() {
            return id + " " + behavior + " (close: " + behaviorClose + ")";
        }
    }

    @Test
    // Generous: a loaded machine, or a Weft bug that makes cases wait for their timeouts.
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fuzzingClientFindsEveryCaseOk() throws Exception {
        List<String> cases = listProperty("autobahn.cases", CASES);
        List<String> excluded = listProperty("autobahn.exclude", List.of());
        deleteRecursively(REPORTS);

        long start = System.nanoTime();
        try (WebSocketServer server = WeftEcho.start(LIMIT)) {
            // The suite's client runs every case, one connection each, then writes its reports; the
            // call returns once it is done (the Twisted reactor runs on this thread).
            AutobahnTestSuite.runFuzzingClient(AGENT, "ws://127.0.0.1:" + server.port() + "/",
                    new HashMap<>(), cases, excluded);
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

        List<CaseResult> results = readResults();
        assertFalse(results.isEmpty(), "the suite reported no case");
        String summary = summary(results, cases, seconds);
        Files.createDirectories(SUMMARY.getParent());
        Files.writeString(SUMMARY, summary, StandardCharsets.UTF_8);
        System.out.println(summary);

        List<CaseResult> notOk = results.stream().filter(r -> !r.ok() && !r.informational()).toList();
        if (!notOk.isEmpty()) {
            fail(notOk.size() + " of " + results.size() + " Autobahn cases are not OK (details in " + REPORTS
                    + ", table in " + SUMMARY + "):\n" + notOk.stream().map(this::explain).collect(Collectors.joining("\n")));
        }
        if (cases.equals(CASES)) {
            assertEquals(CASE_COUNT, results.size(), "cases run; see " + SUMMARY);
        }
    }

    // ---------------------------------------------------------------- reading the suite's reports

    private static List<CaseResult> readResults() throws IOException {
        JSONObject index = readJson(REPORTS.resolve("index.json"));
        JSONObject agent = (JSONObject) index.get(AGENT);
        List<CaseResult> results = new ArrayList<>();
        if (agent == null) {
            return results;
        }
        for (Object key : agent.keySet()) {
            JSONObject c = (JSONObject) agent.get(key);
            Number remote = (Number) c.get("remoteCloseCode");
            Number duration = (Number) c.get("duration");
            results.add(new CaseResult((String) key, (String) c.get("behavior"), (String) c.get("behaviorClose"),
                    remote == null ? null : remote.longValue(), duration == null ? 0 : duration.longValue(),
                    (String) c.get("reportfile")));
        }
        results.sort(Comparator.comparing(CaseResult::id, AutobahnTest::compareCaseIds));
        return results;
    }

    /**
     * One failing case: its verdicts, the close code Weft sent, and from the suite's case report
     * its explanation, what it expected and what it received (shortened).
     */
    private String explain(CaseResult r) {
        StringBuilder sb = new StringBuilder(r.line());
        sb.append(", Weft's close code: ").append(r.remoteCloseCode() == null ? "none" : r.remoteCloseCode());
        try {
            JSONObject detail = readJson(REPORTS.resolve(r.reportFile()));
            sb.append("\n    case:           ").append(detail.get("description"));
            sb.append("\n    result:         ").append(detail.get("result"));
            sb.append("\n    close result:   ").append(detail.get("resultClose"));
            sb.append("\n    expected:       ").append(shorten(detail.get("expected")));
            sb.append("\n    received:       ").append(shorten(detail.get("received")));
            sb.append("\n    expected close: ").append(shorten(detail.get("expectedClose")));
        } catch (IOException | RuntimeException e) {
            sb.append(" (no case report: ").append(e).append(')');
        }
        return sb.toString();
    }

    private static String shorten(Object value) {
        String s = String.valueOf(value);
        return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " chars)";
    }

    private static String summary(List<CaseResult> results, List<String> cases, long seconds) {
        Map<String, Integer> counts = new TreeMap<>();
        results.forEach(r -> counts.merge(r.behavior(), 1, Integer::sum));
        StringBuilder sb = new StringBuilder();
        sb.append("Autobahn|Testsuite fuzzing client against Weft, cases ").append(cases)
                .append(": ").append(results.size()).append(" cases in ").append(seconds).append(" s\n");
        sb.append("behaviour counts: ").append(counts).append('\n');
        sb.append("informational: ").append(results.stream().filter(CaseResult::informational)
                .map(CaseResult::id).toList()).append('\n');
        sb.append("not OK: ").append(results.stream().filter(r -> !r.ok() && !r.informational())
                .map(CaseResult::line).toList()).append("\n\n");
        sb.append(String.format("%-10s %-15s %-15s %-12s %s%n", "case", "behaviour", "close", "close code", "ms"));
        for (CaseResult r : results) {
            sb.append(String.format("%-10s %-15s %-15s %-12s %d%n", r.id(), r.behavior(), r.behaviorClose(),
                    r.remoteCloseCode() == null ? "-" : r.remoteCloseCode(), r.durationMillis()));
        }
        return sb.toString();
    }

    private static JSONObject readJson(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return (JSONObject) new JSONParser().parse(in);
        } catch (org.json.simple.parser.ParseException e) {
            throw new IOException("cannot parse " + file + ": " + e, e);
        }
    }

    /** Orders "1.1.10" after "1.1.2". */
    static int compareCaseIds(String a, String b) {
        int[] x = Arrays.stream(a.split("\\.")).mapToInt(Integer::parseInt).toArray();
        int[] y = Arrays.stream(b.split("\\.")).mapToInt(Integer::parseInt).toArray();
        return Arrays.compare(x, y);
    }

    private static List<String> listProperty(String name, List<String> otherwise) {
        String value = System.getProperty(name, "").trim();
        return value.isEmpty() ? otherwise : Arrays.stream(value.split(",")).map(String::trim).toList();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
