package dev.weft.testing;

import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.WebSocketException;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.reconnect.Reconnect;
import dev.weft.api.reconnect.ReconnectingConnection;
import dev.weft.testing.loop.ManualScheduler;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Reconnect} over in-memory connections, on a manual clock: the delays it draws, what the
 * application's handler sees across drops, and each way it gives up. Everything runs on the test's
 * thread; time moves only when the test says.
 */
class ReconnectTest {

    /** A generator whose {@code nextDouble()} is exactly 0.5, so each delay is half its bound. */
    private static final java.util.random.RandomGenerator HALF = () -> Long.MIN_VALUE;

    private final ManualScheduler clock = new ManualScheduler();
    private final List<String> attempts = new ArrayList<>();
    private final List<Throwable> causes = new ArrayList<>();
    /** Failures the next attempts meet, in order; once empty, attempts open an in-memory pair. */
    private final Queue<Throwable> failures = new ArrayDeque<>();
    private final List<InMemoryPair> pairs = new ArrayList<>();
    private final List<Recorder> servers = new ArrayList<>();
    private final Recorder app = Recorder.recording();

    private Reconnect.Builder policy() {
        return Reconnect.builder()
                .backoff(Duration.ofMillis(500), Duration.ofSeconds(2))
                .random(HALF)
                .timer((task, delay) -> clock.schedule(task, delay.toNanos()))
                .onAttempt((attempt, delay, cause) -> {
                    attempts.add(attempt + "@" + delay.toMillis());
                    causes.add(cause);
                });
    }

    private CompletableFuture<Connection> dial(WebSocketHandler handler) {
        Throwable failure = failures.poll();
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        Recorder server = Recorder.echoing();
        servers.add(server);
        InMemoryPair pair = InMemoryPair.connect(server, handler);
        pairs.add(pair);
        return CompletableFuture.completedFuture(pair.client());
    }

    private CompletableFuture<ReconnectingConnection> connect(Reconnect reconnect) {
        return reconnect.connect(this::dial, app);
    }

    private InMemoryPair lastPair() {
        return pairs.get(pairs.size() - 1);
    }

    /** The server of the latest pair closes with {@code code}. */
    private void serverCloses(int code) {
        InMemoryPair pair = lastPair();
        pair.server().close(code, "bye");
        pair.flush();
    }

    @Test
    void delaysGrowAsFullJitterUpToTheCapAndTheClockDecidesWhenTheNextAttemptIsMade() throws Exception {
        for (int i = 0; i < 4; i++) {
            failures.add(new ConnectException("Connection refused"));
        }
        CompletableFuture<ReconnectingConnection> opened = connect(policy().build());
        // Half of min(2 s, 500 ms × 2^(n-1)): 250, 500, 1000, then the cap's half.
        assertEquals(List.of("1@250"), attempts);
        clock.advance(Duration.ofMillis(249));
        assertEquals(List.of("1@250"), attempts, "not yet");
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of("1@250", "2@500"), attempts);
        clock.advance(Duration.ofMillis(500));
        clock.advance(Duration.ofMillis(1000));
        assertEquals(List.of("1@250", "2@500", "3@1000", "4@1000"), attempts);
        assertFalse(opened.isDone());
        clock.advance(Duration.ofMillis(1000));
        assertTrue(opened.isDone(), "the fifth attempt opened");
        assertInstanceOf(ConnectException.class, causes.get(0));
        app.assertEvents("open");
    }

    @Test
    void theDelayIsDrawnBetweenZeroAndTheBound() {
        Reconnect zero = policy().random(() -> 0L).build();
        failures.add(new ConnectException("refused"));
        connect(zero);
        assertEquals(List.of("1@0"), attempts);
        clock.advance(Duration.ZERO);
        assertEquals(1, pairs.size(), "a delay of zero still goes through the timer");
    }

    @Test
    void aDroppedConnectionComesBackAndTheHookSubscribesBeforeAnyMessageArrives() throws Exception {
        List<String> hookSaw = new ArrayList<>();
        ReconnectingConnection c = connect(policy().onReconnect(connection -> {
            hookSaw.add(connection.state().toString());
            connection.sendText("subscribe");
        }).build()).get();
        app.assertEvents("open");
        c.sendText("one");
        lastPair().flush();
        assertEquals("one", servers.get(0).nextText());
        app.expect("text:one");

        serverCloses(1001);
        assertEquals(List.of("1@250"), attempts);
        assertEquals(1001, assertInstanceOf(WebSocketException.class, causes.get(0)).closeCode());
        assertEquals(ConnectionState.CONNECTING, c.state());
        ExecutionException notSent = assertThrows(ExecutionException.class, () -> c.sendText("lost").get());
        assertInstanceOf(IllegalStateException.class, notSent.getCause());
        assertFalse(c.isWritable());

        clock.advance(Duration.ofMillis(250));
        assertEquals(2, pairs.size());
        assertEquals(List.of("OPEN"), hookSaw);
        lastPair().flush();
        assertEquals("subscribe", servers.get(1).nextText(), "the hook's message came first");
        c.sendText("two");
        lastPair().flush();
        assertEquals("two", servers.get(1).nextText());
        app.expect("text:subscribe", "text:two");
        assertEquals(List.of(), app.take(), "no second open, no close across the drop");

        c.close();
        lastPair().flush();
        app.assertEvents("close:1000:*");
        assertEquals(ConnectionState.CLOSED, c.state());
        assertEquals(0, clock.activeTimers(), "no attempt after the application closed");
    }

    @Test
    void theAttemptCountStartsAgainAfterEachOpenConnection() throws Exception {
        connect(policy().build()).get();
        serverCloses(1011);
        failures.add(new ConnectException("refused"));
        clock.advance(Duration.ofMillis(250));
        clock.advance(Duration.ofMillis(500));
        serverCloses(1012);
        assertEquals(List.of("1@250", "2@500", "1@250"), attempts);
    }

    @Test
    void closeCodesThatMeanDoNotComeBackEndIt() throws Exception {
        for (int code : new int[] {1008, 1003, 4001}) {
            Recorder handler = Recorder.recording();
            policy().giveUpOn(4001).build().connect(this::dial, handler).get();
            serverCloses(code);
            handler.assertEvents("open", "close:" + code + ":bye");
        }
        assertEquals(List.of(), attempts);
        assertEquals(0, clock.activeTimers());
    }

    @Test
    void anHttp4xxAtAReconnectEndsItWithTheRefusalAsTheError() throws Exception {
        ReconnectingConnection c = connect(policy().build()).get();
        failures.add(new HandshakeException(403, "server answered 403 Forbidden"));
        serverCloses(1001);
        clock.advance(Duration.ofMillis(250));
        app.assertEvents("open", "error:1002", "close:1006:*");
        assertEquals(403, ((HandshakeException) app.errors().get(0)).status());
        assertEquals(ConnectionState.CLOSED, c.state());
        assertEquals(1, pairs.size());
    }

    @Test
    void anHttp5xxIsTriedAgain() throws Exception {
        connect(policy().build()).get();
        failures.add(new HandshakeException(503, "server answered 503 Service Unavailable"));
        serverCloses(1001);
        clock.advance(Duration.ofMillis(250));
        clock.advance(Duration.ofMillis(500));
        assertEquals(2, pairs.size());
        assertEquals(List.of("1@250", "2@500"), attempts);
    }

    @Test
    void theFirstConnectFailsOnceTheAttemptsAreSpent() {
        failures.add(new ConnectException("refused 1"));
        failures.add(new ConnectException("refused 2"));
        failures.add(new ConnectException("refused 3"));
        CompletableFuture<ReconnectingConnection> opened = connect(policy().maxAttempts(2).build());
        clock.advance(Duration.ofSeconds(10));
        ExecutionException e = assertThrows(ExecutionException.class, opened::get);
        assertEquals("refused 3", e.getCause().getMessage());
        assertEquals(List.of("1@250", "2@500"), attempts);
        assertEquals(List.of(), app.take(), "the handler never heard of a connection that never opened");
    }

    @Test
    void closingBetweenConnectionsEndsItAtOnce() throws Exception {
        ReconnectingConnection c = connect(policy().build()).get();
        serverCloses(1001);
        c.close(4000, "done");
        app.assertEvents("open", "close:4000:done");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, pairs.size(), "the attempt that was due did not run");
        assertSame(ConnectionState.CLOSED, c.state());
        assertTrue(c.close().isDone(), "closing again has no further effect");
    }
}
