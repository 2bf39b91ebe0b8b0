package dev.weft.interop;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;
import dev.weft.testing.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Runs the Weft client of one {@link WeftTransport} against the Autobahn|Testsuite fuzzing server
 * (the suite's {@code fuzzingserver} mode, run under Jython, see {@link AutobahnFuzzingServer}) and
 * fails listing every case whose behaviour is not OK: the client-role counterpart of
 * {@link AutobahnServerRole}, judged the same way (OK or INFORMATIONAL passes, NON-STRICT fails).
 * {@link AutobahnClientTest} runs it on NIO, {@link AutobahnBlockingClientTest} on the blocking
 * transport.
 *
 * <p>The Weft client is the suite's client testee, as {@code weft testee-client} is: it asks
 * {@code /getCaseCount}, then runs {@code /runCase?case=N&agent=weft} for each case (the agent is
 * {@code weft-blocking} for the blocking client), one connection at a time, echoing every message
 * until the server closes, then asks {@code /updateReports?agent=weft} to write the reports.
 * Between two cases it asks {@code /getCaseStatus} for the verdict on the last one: the suite
 * records a case only when its TCP connection is gone, which can be after the client has seen the
 * close, so without that wait a case could overlap the next or be left out of the reports.
 *
 * <p>The cases are framing (1), pings and pongs (2), reserved bits (3), opcodes (4), fragmentation
 * (5), UTF-8 (6), close handling (7), limits and performance (9) and auto-fragmentation (10); the
 * compression categories (12, 13) are left out, as in {@link AutobahnServerRole}.
 * {@code -Dautobahn.cases=3.*,5.1} and {@code -Dautobahn.exclude=…} choose cases, for either test.
 * Under Jython the run takes two to three minutes on two cores, most of it in category 9.
 *
 * <p>The suite writes its reports to {@code target/autobahn/TRANSPORT/client-reports/}; this test
 * adds a table of all cases beside them ({@code client-summary.txt}).
 *
 * <p>The suite's Twisted reactor cannot be restarted, so it runs once per JVM: keep to one test,
 * and one transport per test class. The module's Surefire configuration gives each test class a
 * JVM of its own.
 */
abstract class AutobahnClientRole {

    private static final List<String> CASES = List.of("1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "9.*", "10.*");
    /**
     * How many cases {@link #CASES} holds in this version of the suite. The suite reports only the
     * cases that ran, so a short count is a failure too.
     */
    private static final int CASE_COUNT = 301;
    /** Case 9.x sends messages of up to 16 MiB; leave room. */
    private static final int LIMIT = 64 << 20;
    /** How long one case may take before the client gives up on it and goes on to the next. */
    private static final long CASE_TIMEOUT_SECONDS = 120;

    private final WeftTransport transport;

    AutobahnClientRole(WeftTransport transport) {
        this.transport = transport;
    }

    @Test
    // Generous: a loaded machine, or a Weft bug that makes cases wait for their timeouts.
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fuzzingServerFindsEveryCaseOk() throws Exception {
        List<String> cases = AutobahnReports.listProperty("autobahn.cases", CASES);
        List<String> excluded = AutobahnReports.listProperty("autobahn.exclude", List.of());
        Path dir = Path.of("target", "autobahn", transport.id);
        Path reportDir = dir.resolve("client-reports");
        AutobahnReports reports = new AutobahnReports(reportDir, transport.agent);
        reports.clear();

        List<String> notRun = new ArrayList<>();
        long start = System.nanoTime();
        try (AutobahnFuzzingServer suite = AutobahnFuzzingServer.start(reportDir, cases, excluded);
             WeftTransport.Client client = transport.client(WeftEcho.config(LIMIT))) {
            int count = caseCount(client, suite.uri("getCaseCount"));
            assertEquals(suite.caseIds().size(), count, "the case count the suite sent");
            for (int n = 1; n <= count; n++) {
                String query = "?case=" + n + "&agent=" + transport.agent;
                // A plain echo: the suite expects no answer to an unsolicited pong.
                WeftEcho echo = new WeftEcho(false);
                String problem = exchange(client, suite.uri("runCase" + query), echo, echo.closed, "close");
                if (problem == null) {
                    // The suite judges a case only once its TCP connection is gone, which may be
                    // after the client has seen the close: wait for the verdict before going on,
                    // so the next case cannot overlap and the reports cannot miss this one.
                    Recorder status = Recorder.recording();
                    problem = exchange(client, suite.uri("getCaseStatus" + query), status, status.closed(), "verdict");
                    if (problem == null && status.takeMessages().isEmpty()) {
                        problem = "the suite closed without a verdict";
                    }
                }
                if (problem != null) {
                    notRun.add(suite.caseIds().get(n - 1) + ": " + problem);
                }
            }
            // The server writes the reports when this connection opens, then closes it.
            Recorder update = Recorder.recording();
            assertNull(exchange(client, suite.uri("updateReports?agent=" + transport.agent), update, update.closed(),
                    "close"), "updating the reports");
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

        reports.assertEveryCaseOk("Autobahn|Testsuite fuzzing server against the Weft client on " + transport, cases,
                seconds, dir.resolve("client-summary.txt"), cases.equals(CASES) && excluded.isEmpty() ? CASE_COUNT : null);
        assertEquals(List.of(), notRun, "cases the Weft client could not run to their verdict");
    }

    /** The number the server sends on {@code /getCaseCount}, as one text message before it closes. */
    private static int caseCount(WeftTransport.Client client, URI uri) throws Exception {
        Recorder recorder = Recorder.recording();
        client.connect(uri, recorder).get(Inbox.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        int count = Integer.parseInt(recorder.nextText().trim());
        recorder.awaitClose();
        return count;
    }

    /**
     * Connects to {@code uri} with {@code handler} and waits, each with a bound, for the
     * connection to open and then for {@code done}.
     *
     * @param what what {@code done} stands for, for the message
     * @return {@code null} once {@code done}, or why not
     */
    private static String exchange(WeftTransport.Client client, URI uri, WebSocketHandler handler, CompletableFuture<?> done,
                                   String what) throws InterruptedException {
        CompletableFuture<Connection> connected = client.connect(uri, handler);
        try {
            connected.get(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            done.get(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            // The suite judges each case from its side; a case the client could not open is one
            // more result for the list, not a reason to stop.
            return uri.getPath() + " failed: " + e.getCause();
        } catch (TimeoutException e) {
            connected.thenAccept(Connection::abort);
            return "no " + what + " on " + uri.getPath() + " within " + CASE_TIMEOUT_SECONDS + " s";
        }
    }
}
