package dev.weft.benchmarks.support;

import dev.weft.core.session.Scheduler;

/**
 * A {@link Scheduler} for driving one session from one thread: every caller counts as the loop
 * thread, tasks run at once, and timers never fire (a benchmark ends long before any protocol
 * timeout). The clock is {@link System#nanoTime()}, as an event loop's is.
 */
public final class InlineScheduler implements Scheduler {

    private static final Timer NEVER = () -> { };

    @Override
    public boolean inEventLoop() {
        return true;
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        return NEVER;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
