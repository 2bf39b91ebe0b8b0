package dev.weft.interop;

import org.json.simple.JSONObject;
import org.json.simple.parser.JSONParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Autobahn|Testsuite's reports of one run, read the same way for either role: the suite's
 * {@code index.json} (a verdict per case) and its JSON report per case (what it expected and what
 * it received), turned into a summary table and a test failure that lists every case whose
 * behaviour is not OK.
 *
 * <p>A case passes when the suite calls both its behaviour and its close behaviour OK, or marks it
 * INFORMATIONAL (its outcome a note, not a verdict). Everything else fails, NON-STRICT included.
 */
final class AutobahnReports {

    private final Path dir;
    private final String agent;

    /**
     * @param dir where the suite writes its reports
     * @param agent the name the Weft side gives the suite, which files the results under it
     */
    AutobahnReports(Path dir, String agent) {
        this.dir = dir;
        this.agent = agent;
    }

    /** A case's result as the suite reports it. */
    record CaseResult(String id, String behavior, String behaviorClose, Long remoteCloseCode, long durationMillis,
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

    /** Empties the report directory, so a stale report from an earlier run cannot pass for a new one. */
    void clear() throws IOException {
        delete(dir);
    }

    /** Moves here the reports the suite wrote to {@code written}, a directory it chose itself. */
    void moveFrom(Path written) throws IOException {
        clear();
        if (Files.exists(written)) {
            Files.createDirectories(dir.getParent());
            Files.move(written, dir);
        }
    }

    /** Deletes {@code dir} and all it holds, if it is there. */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Reads the run's results, writes the summary table to {@code summaryFile}, and fails listing
     * every case that did not pass; then, if {@code expectedCount} is given, fails unless exactly
     * that many cases were reported (the suite reports only the cases that ran).
     *
     * @param title what ran against what, for the summary's first line
     * @param cases the case patterns the suite was given
     * @param seconds how long the run took
     * @param expectedCount how many cases {@code cases} selects, or {@code null} when not known
     */
    void assertEveryCaseOk(String title, List<String> cases, long seconds, Path summaryFile, Integer expectedCount)
            throws IOException {
        List<CaseResult> results = read();
        assertFalse(results.isEmpty(), "the suite reported no case (see " + dir + ")");
        String summary = summary(title, results, cases, seconds);
        Files.createDirectories(summaryFile.getParent());
        Files.writeString(summaryFile, summary, StandardCharsets.UTF_8);
        System.out.println(summary);

        List<CaseResult> notOk = results.stream().filter(r -> !r.ok() && !r.informational()).toList();
        if (!notOk.isEmpty()) {
            fail(notOk.size() + " of " + results.size() + " Autobahn cases are not OK (details in " + dir
                    + ", table in " + summaryFile + "):\n" + notOk.stream().map(this::explain).collect(Collectors.joining("\n")));
        }
        if (expectedCount != null) {
            assertEquals(expectedCount, results.size(), "cases run; see " + summaryFile);
        }
    }

    /** Every case the suite reported for the agent, in case order; none if it reported nothing. */
    List<CaseResult> read() throws IOException {
        Path index = dir.resolve("index.json");
        List<CaseResult> results = new ArrayList<>();
        if (!Files.exists(index)) {
            return results;
        }
        JSONObject agentResults = (JSONObject) readJson(index).get(agent);
        if (agentResults == null) {
            return results;
        }
        for (Object key : agentResults.keySet()) {
            JSONObject c = (JSONObject) agentResults.get(key);
            Number remote = (Number) c.get("remoteCloseCode");
            Number duration = (Number) c.get("duration");
            results.add(new CaseResult((String) key, (String) c.get("behavior"), (String) c.get("behaviorClose"),
                    remote == null ? null : remote.longValue(), duration == null ? 0 : duration.longValue(),
                    (String) c.get("reportfile")));
        }
        results.sort(Comparator.comparing(CaseResult::id, AutobahnReports::compareCaseIds));
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
            JSONObject detail = readJson(dir.resolve(r.reportFile()));
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

    private static String summary(String title, List<CaseResult> results, List<String> cases, long seconds) {
        Map<String, Integer> counts = new TreeMap<>();
        results.forEach(r -> counts.merge(r.behavior(), 1, Integer::sum));
        StringBuilder sb = new StringBuilder();
        sb.append(title).append(", cases ").append(cases)
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

    /** A comma-separated system property as a list, or {@code otherwise} when it is unset or blank. */
    static List<String> listProperty(String name, List<String> otherwise) {
        String value = System.getProperty(name, "").trim();
        return value.isEmpty() ? otherwise : Arrays.stream(value.split(",")).map(String::trim).toList();
    }
}
