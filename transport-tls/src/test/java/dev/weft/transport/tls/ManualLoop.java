package dev.weft.transport.tls;

import dev.weft.core.session.Scheduler;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * An event loop whose thread is the test's: tasks submitted from anywhere (the TLS task pool) wait
 * until the test runs them with {@link #runUntil}. No timers: the TLS layer sets none.
 */
final class ManualLoop implements Scheduler {

    private static final long WAIT_SECONDS = 20;

    private final Thread owner = Thread.currentThread();
    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == owner;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        throw new UnsupportedOperationException("no timers in memory");
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    /** Runs tasks, waiting for them as needed, until {@code done} holds. */
    void runUntil(BooleanSupplier done) throws InterruptedException {
        while (!done.getAsBoolean()) {
            Runnable task = tasks.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(task, "nothing happened for " + WAIT_SECONDS + " s");
            task.run();
        }
    }
}
