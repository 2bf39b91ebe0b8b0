package dev.weft.interop;

import me.normanmaurer.maven.autobahntestsuite.AutobahnTestSuite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Autobahn|Testsuite fuzzing client (the conformance reference for RFC 6455, run under
 * Jython) against a Weft echo server on one {@link WeftTransport}, and fails listing every case
 * whose behaviour is not OK. {@link AutobahnTest} runs it on NIO, {@link AutobahnBlockingTest} on
 * the blocking transport.
 *
 * <p>Every case of the categories below runs: framing (1), pings and pongs (2), reserved bits (3),
 * opcodes (4), fragmentation (5), UTF-8 (6), close handling (7), limits and performance (9) and
 * auto-fragmentation (10). The compression categories (12, 13) wait for permessage-deflate.
 * {@code -Dautobahn.cases=3.*,5.1} runs only some cases, for a quick look at one failure.
 *
 * <p>The suite writes its reports (an HTML page and a JSON file per case, with the frames it
 * expected and those it received) to {@code target/autobahntestsuite-reports/}, a path its Java
 * wrapper fixes; this test moves them to {@code target/autobahn/TRANSPORT/server-reports/}, so one
 * transport's run leaves the other's alone, and adds a table of all cases beside them
 * ({@code server-summary.txt}).
 *
 * <p>The suite's Twisted reactor cannot be restarted, so it runs once per JVM: keep to one call,
 * and one transport per test class (the module's Surefire configuration gives each class a JVM of
 * its own). Under Jython it is slow: two to three minutes on two cores, most of it in category 9.
 */
abstract class AutobahnServerRole {

    private static final List<String> CASES = List.of("1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "9.*", "10.*");
    /**
     * How many cases {@link #CASES} holds in this version of the suite. The suite stops early,
     * reporting only the cases it ran, if it cannot connect, so a short count is a failure too.
     */
    private static final int CASE_COUNT = 301;
    /** Fixed by the suite's Java wrapper, relative to the working directory (the module's). */
    private static final Path SUITE_REPORTS = Path.of("target", "autobahntestsuite-reports");
    /** Case 9.x sends messages of up to 16 MiB; leave room. */
    private static final int LIMIT = 64 << 20;

    private final WeftTransport transport;

    AutobahnServerRole(WeftTransport transport) {
        this.transport = transport;
    }

    @Test
    // Generous: a loaded machine, or a Weft bug that makes cases wait for their timeouts.
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fuzzingClientFindsEveryCaseOk() throws Exception {
        List<String> cases = AutobahnReports.listProperty("autobahn.cases", CASES);
        List<String> excluded = AutobahnReports.listProperty("autobahn.exclude", List.of());
        Path dir = Path.of("target", "autobahn", transport.id);
        AutobahnReports reports = new AutobahnReports(dir.resolve("server-reports"), transport.agent);
        AutobahnReports.delete(SUITE_REPORTS);
        reports.clear();

        long start = System.nanoTime();
        try (WeftTransport.Server server = transport.serve(WeftEcho.config(LIMIT),
                WeftTransport.Endpoint.echo("/*"))) {
            // The suite's client runs every case, one connection each, then writes its reports; the
            // call returns once it is done (the Twisted reactor runs on this thread).
            AutobahnTestSuite.runFuzzingClient(transport.agent, server.uri("/").toString(), new HashMap<>(), cases,
                    excluded);
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        reports.moveFrom(SUITE_REPORTS);

        reports.assertEveryCaseOk("Autobahn|Testsuite fuzzing client against the Weft server on " + transport, cases,
                seconds, dir.resolve("server-summary.txt"), cases.equals(CASES) ? CASE_COUNT : null);
    }
}
