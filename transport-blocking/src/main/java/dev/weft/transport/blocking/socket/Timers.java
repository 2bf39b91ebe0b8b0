package dev.weft.transport.blocking.socket;

import dev.weft.core.session.Scheduler;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The clock of every blocking connection in the JVM: one daemon thread that keeps the deadlines
 * (keepalive, idle, close, message and write timeouts) and, when one is due, hands its task to a
 * thread of its own, since a task may write to a socket and block. Cancelled deadlines are removed
 * at once, so ten thousand idle connections hold ten thousand entries, not the history of them.
 */
public final class Timers {

    private static final Timers SHARED = new Timers(Threads.perTask("weft-timer-task-"));

    private final ScheduledThreadPoolExecutor clock;
    private final Executor runner;

    private Timers(Executor runner) {
        this.runner = runner;
        this.clock = new ScheduledThreadPoolExecutor(1, Threads.daemonFactory("weft-timers"));
        clock.setRemoveOnCancelPolicy(true);
        clock.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** The JVM's one instance. */
    public static Timers shared() {
        return SHARED;
    }

    /** Runs {@code task} on a thread of its own once {@code delayNanos} have passed. */
    Scheduler.Timer schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> due = clock.schedule(() -> runner.execute(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> due.cancel(false);
    }

    /** Runs {@code task} every {@code periodNanos} on the clock thread itself: it must not block. */
    Scheduler.Timer every(Runnable task, long periodNanos) {
        ScheduledFuture<?> due = clock.scheduleAtFixedRate(task, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        return () -> due.cancel(false);
    }
}
