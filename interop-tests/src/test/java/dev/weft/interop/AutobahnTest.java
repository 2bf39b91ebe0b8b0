package dev.weft.interop;

import dev.weft.transport.nio.WebSocketServer;
import me.normanmaurer.maven.autobahntestsuite.AutobahnTestSuite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    /** Fixed by the suite's Java wrapper, relative to the working directory (the module's). */
    private static final Path REPORTS = Path.of("target", "autobahntestsuite-reports");
    private static final Path SUMMARY = Path.of("target", "autobahn", "summary.txt");
    /** Case 9.x sends messages of up to 16 MiB; leave room. */
    private static final int LIMIT = 64 << 20;

    @Test
    // Generous: a loaded machine, or a Weft bug that makes cases wait for their timeouts.
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fuzzingClientFindsEveryCaseOk() throws Exception {
        List<String> cases = AutobahnReports.listProperty("autobahn.cases", CASES);
        List<String> excluded = AutobahnReports.listProperty("autobahn.exclude", List.of());
        AutobahnReports reports = new AutobahnReports(REPORTS, AutobahnReports.AGENT);
        reports.clear();

        long start = System.nanoTime();
        try (WebSocketServer server = WeftEcho.start(LIMIT)) {
            // The suite's client runs every case, one connection each, then writes its reports; the
            // call returns once it is done (the Twisted reactor runs on this thread).
            AutobahnTestSuite.runFuzzingClient(AutobahnReports.AGENT, "ws://127.0.0.1:" + server.port() + "/",
                    new HashMap<>(), cases, excluded);
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

        reports.assertEveryCaseOk("Autobahn|Testsuite fuzzing client against the Weft server", cases, seconds, SUMMARY,
                cases.equals(CASES) ? CASE_COUNT : null);
    }
}
