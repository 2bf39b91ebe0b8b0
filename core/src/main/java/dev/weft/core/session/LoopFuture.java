package dev.weft.core.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of something an event loop will do (a send, a close, a connect): a
 * {@link CompletableFuture} that refuses to be waited on from an event-loop thread. Waiting there
 * would block the very loop that has to complete it, and every other connection on that loop with
 * it: {@link #get()} and {@link #join()} on a future not yet done throw at once instead, saying what
 * to do. Callbacks ({@code thenRun}, {@code thenAccept}, {@code whenComplete}) work anywhere, and
 * waiting from any other thread works as usual. The stages derived from it refuse likewise.
 *
 * @param <T> the result
 */
public final class LoopFuture<T> extends CompletableFuture<T> {

    private static final ThreadLocal<Boolean> LOOP_THREAD = new ThreadLocal<>();

    /** Marks the calling thread as an event loop for the rest of its life; a loop calls it as it starts. */
    public static void enterLoop() {
        LOOP_THREAD.set(Boolean.TRUE);
    }

    /** Whether the calling thread is marked as an event loop now. */
    public static boolean onLoop() {
        return LOOP_THREAD.get() != null;
    }

    /**
     * Unmarks the calling thread: for a transport whose threads run a connection's loop only for a
     * while (the blocking transport's, while they hold a connection), never for an event loop.
     */
    public static void leaveLoop() {
        LOOP_THREAD.remove();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        refuseOnLoop();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        refuseOnLoop();
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        refuseOnLoop();
        return super.join();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new LoopFuture<>();
    }

    private void refuseOnLoop() {
        if (!isDone() && onLoop()) {
            throw new IllegalStateException("waiting on an event-loop thread for what that loop has still to do would "
                    + "block it, and every connection on it: chain the next step with thenRun, thenAccept or "
                    + "whenComplete, or wait from another thread");
        }
    }
}
