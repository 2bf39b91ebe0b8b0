package dev.weft.transport.nio;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;
import dev.weft.testing.Recorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A handler that waits for its own send on the event loop would block the loop that has to
 * complete it: Weft's futures refuse at once instead, and callbacks chained on them still work.
 */
class BlockedLoopTest {

    private static WebSocketServer server;
    private static WebSocketClient client;
    private static final CompletableFuture<String> refusal = new CompletableFuture<>();

    @BeforeAll
    static void start() {
        server = Echo.builder()
                .endpoint("/join-caught", () -> new WebSocketHandler() {
                    @Override
                    public void onText(Connection c, String text) {
                        try {
                            c.sendText(text).join();
                            refusal.completeExceptionally(new AssertionError("join on the loop did not throw"));
                        } catch (IllegalStateException e) {
                            refusal.complete(e.getMessage());
                        }
                    }
                })
                .endpoint("/join-uncaught", () -> new WebSocketHandler() {
                    @Override
                    public void onText(Connection c, String text) {
                        c.sendText(text).join();
                    }
                })
                .endpoint("/chained", () -> new WebSocketHandler() {
                    @Override
                    public void onText(Connection c, String text) {
                        c.sendText("first").thenRun(() -> c.sendText("then " + text));
                    }
                })
                .build().start();
        client = Echo.client();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static Connection connect(String path, Recorder recorder) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + path);
        return client.connect(uri, recorder).get(20, TimeUnit.SECONDS);
    }

    @Test
    void joinOnTheLoopThrowsAtOnceAndSaysWhatToDoInstead() throws Exception {
        Recorder recorder = Recorder.recording();
        // Waiting on a send from the test's own thread is fine: no loop is blocked.
        connect("/join-caught", recorder).sendText("hi").get(20, TimeUnit.SECONDS);
        String message = refusal.get(20, TimeUnit.SECONDS);
        assertTrue(message.contains("event-loop thread") && message.contains("thenAccept"), message);
    }

    @Test
    void anUncaughtRefusalClosesTheConnectionWith1011() throws Exception {
        Recorder recorder = Recorder.recording();
        connect("/join-uncaught", recorder).sendText("hi");
        recorder.awaitClose();
        assertEquals(1011, recorder.closeCode());
    }

    @Test
    void callbacksChainedOnTheLoopStillRun() throws Exception {
        Recorder recorder = Recorder.recording();
        connect("/chained", recorder).sendText("hi");
        assertEquals("first", recorder.nextText());
        assertEquals("then hi", recorder.nextText());
    }
}
