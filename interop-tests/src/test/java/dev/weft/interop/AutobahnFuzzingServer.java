package dev.weft.interop;

import org.json.simple.JSONValue;
import org.python.core.PyObject;
import org.python.util.PythonInterpreter;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Autobahn|Testsuite fuzzing server (the suite's {@code fuzzingserver} mode, run under
 * Jython), listening on 127.0.0.1 and an ephemeral port, its Twisted reactor on a thread of its
 * own. A client testee asks it {@code /getCaseCount}, runs {@code /runCase?case=N&agent=A} for each
 * case (and may ask {@code /getCaseStatus?case=N&agent=A}, answered once the case is judged), then
 * asks {@code /updateReports?agent=A}, after which the reports are on disk.
 *
 * <p>The suite's own start-up ({@code wstest.start}) is not used: it listens on every interface, on
 * the port of the spec's URL, and opens a second listener for its web pages on port 8080. This
 * class builds the suite's server factory itself and listens with it only on 127.0.0.1, on port 0;
 * the port the system chose is then given to the factory, which checks each request's
 * {@code Host} header against it.
 *
 * <p>Twisted's reactor cannot be restarted: one instance per JVM.
 */
final class AutobahnFuzzingServer implements AutoCloseable {

    /** Python, run in the interpreter: set up the factory and the listener, leave the reactor stopped. */
    private static final String LISTEN = String.join("\n",
            "import json",
            // Picks the reactor as the suite's own start-up does (under Jython: Twisted's default).
            "from autobahntestsuite import choosereactor",
            "from autobahntestsuite import fuzzing",
            "from twisted.internet import reactor",
            "factory = fuzzing.FuzzingServerFactory(json.loads(spec_json))",
            "listener = reactor.listenTCP(0, factory, 50, '127.0.0.1')",
            "port = listener.getHost().port",
            "factory.setSessionParameters('ws://127.0.0.1:%d' % port, factory.protocols, factory.server, factory.headers)",
            // The factory announced port 0 when it was made; say where it really listens.
            "print 'Listening on %s' % factory.url");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final PythonInterpreter python;
    private final int port;
    private final List<String> caseIds;
    private final Thread reactorThread;
    /** Completes when the reactor stops, exceptionally if it failed. */
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    private AutobahnFuzzingServer(PythonInterpreter python) {
        this.python = python;
        this.port = python.eval("port").asInt();
        List<String> ids = new ArrayList<>();
        for (PyObject id : python.eval("factory.specCases").asIterable()) {
            ids.add(id.toString());
        }
        this.caseIds = List.copyOf(ids);
        this.reactorThread = new Thread(this::runReactor, "autobahn-reactor");
        // If the reactor never stops, it must not keep the test JVM alive.
        reactorThread.setDaemon(true);
    }

    /**
     * Starts the fuzzing server.
     *
     * @param reports where the suite writes its reports
     * @param cases the case patterns to run, such as {@code "1.*"}
     * @param excluded case patterns to leave out
     */
    static AutobahnFuzzingServer start(Path reports, List<String> cases, List<String> excluded) {
        Map<String, Object> spec = Map.of(
                // The factory needs a URL at construction; the real port replaces this one once listening.
                "url", "ws://127.0.0.1:0",
                "outdir", reports.toString(),
                // As the suite's default spec: a case the testee fails by dropping the connection is still judged.
                "options", Map.of("failByDrop", false),
                "cases", cases,
                "exclude-cases", excluded,
                "exclude-agent-cases", Map.of());

        PythonInterpreter python = new PythonInterpreter();
        python.set("spec_json", JSONValue.toJSONString(spec));
        python.exec(LISTEN);
        AutobahnFuzzingServer server = new AutobahnFuzzingServer(python);
        server.reactorThread.start();
        return server;
    }

    /** {@code ws://127.0.0.1:PORT/pathAndQuery}. */
    URI uri(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port + "/" + pathAndQuery);
    }

    /** The ids of the cases the suite selected ({@code "1.1.1"}, …), in the order of their numbers from 1. */
    List<String> caseIds() {
        return caseIds;
    }

    private void runReactor() {
        try {
            // Not the main thread: Twisted may not install its signal handlers here.
            python.exec("reactor.run(installSignalHandlers=False)");
            stopped.complete(null);
        } catch (Throwable e) {
            stopped.completeExceptionally(e);
        }
    }

    /**
     * Stops the reactor, which closes the listener, and waits for its thread to end.
     *
     * @throws ExecutionException if the reactor failed
     * @throws TimeoutException if it did not stop in time
     */
    @Override
    public void close() throws ExecutionException, TimeoutException {
        // The reactor is not thread-safe: ask it to stop from its own thread.
        python.exec("reactor.callFromThread(reactor.stop)");
        try {
            stopped.get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            // Left to stop on its own: its thread is a daemon, so it cannot hold the JVM.
            Thread.currentThread().interrupt();
        } finally {
            python.close();
        }
    }
}
