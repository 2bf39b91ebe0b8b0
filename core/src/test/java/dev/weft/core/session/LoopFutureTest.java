package dev.weft.core.session;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LoopFutureTest {

    /** Runs {@code body} on a fresh thread marked as an event loop, and rethrows what it threw. */
    private static void onLoop(Runnable body) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread loop = new Thread(() -> {
            LoopFuture.enterLoop();
            try {
                body.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        loop.start();
        loop.join(TimeUnit.SECONDS.toMillis(20));
        if (thrown.get() instanceof AssertionError e) {
            throw e;
        }
        assertNull(thrown.get());
    }

    @Test
    void waitingOnTheLoopForWhatIsNotDoneThrowsAtOnce() throws Exception {
        onLoop(() -> {
            LoopFuture<Void> pending = new LoopFuture<>();
            assertThrows(IllegalStateException.class, pending::join);
            assertThrows(IllegalStateException.class, pending::get);
            assertThrows(IllegalStateException.class, () -> pending.get(1, TimeUnit.SECONDS));
            assertThrows(IllegalStateException.class, pending.thenApply(v -> 1)::join, "derived stages refuse too");
        });
    }

    @Test
    void whatIsDoneCanBeReadOnTheLoop() throws Exception {
        onLoop(() -> {
            LoopFuture<String> done = new LoopFuture<>();
            done.complete("sent");
            assertEquals("sent", done.join());
        });
    }

    @Test
    void anyOtherThreadWaitsAsUsual() throws Exception {
        LoopFuture<String> pending = new LoopFuture<>();
        CompletableFuture.runAsync(() -> pending.complete("sent"));
        assertEquals("sent", pending.get(20, TimeUnit.SECONDS));
    }
}
