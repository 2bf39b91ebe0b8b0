package dev.weft.testing.loop;

import dev.weft.core.session.Scheduler;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A {@link Scheduler} driven by hand, for tests: its clock moves only when {@link #advance} is called,
 * and tasks run only inside {@link #runPending} or {@link #advance}, on the calling thread. Timeouts
 * can so be tested in microseconds, with no sleep and no flakiness.
 *
 * <p>The thread that creates it is its loop thread. Other threads may {@link #execute} tasks; they
 * wait until the loop thread runs them, and {@link #runUntil} waits for them to come.
 */
public final class ManualScheduler implements Scheduler {

    private final Thread owner = Thread.currentThread();
    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final PriorityQueue<ManualTimer> timers = new PriorityQueue<>();
    private long now;
    private long sequence;

    /** A scheduler whose loop thread is the calling thread, with its clock at zero. */
    public ManualScheduler() {
    }

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
        ManualTimer timer = new ManualTimer(now + Math.max(0, delayNanos), sequence++, task);
        timers.add(timer);
        return timer;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /**
     * Runs submitted tasks, and the tasks they submit, until none is left.
     *
     * @return whether any task ran
     */
    public boolean runPending() {
        boolean ran = false;
        for (Runnable task; (task = tasks.poll()) != null; ) {
            task.run();
            ran = true;
        }
        return ran;
    }

    /**
     * Runs tasks until {@code done} holds, waiting for the tasks that other threads submit (such as
     * an SSL engine's delegated tasks, run on a pool) up to 30 seconds for each.
     *
     * @throws AssertionError if no task comes in time while {@code done} does not hold
     */
    public void runUntil(BooleanSupplier done) throws InterruptedException {
        runUntil(done, Duration.ofSeconds(30));
    }

    /**
     * Runs tasks until {@code done} holds, waiting up to {@code patience} for each next task.
     *
     * @throws AssertionError if no task comes within {@code patience} while {@code done} does not hold
     */
    public void runUntil(BooleanSupplier done, Duration patience) throws InterruptedException {
        while (!done.getAsBoolean()) {
            Runnable task = tasks.poll(patience.toNanos(), TimeUnit.NANOSECONDS);
            if (task == null) {
                throw new AssertionError("nothing happened for " + patience);
            }
            task.run();
        }
    }

    /**
     * Moves the clock forward by {@code delay}, running each timer that falls due at its own time,
     * in order, and the tasks they submit.
     */
    public void advance(Duration delay) {
        long target = now + delay.toNanos();
        runPending();
        while (!timers.isEmpty() && timers.peek().due <= target) {
            ManualTimer timer = timers.poll();
            now = timer.due;
            if (!timer.cancelled) {
                timer.task.run();
            }
            runPending();
        }
        now = target;
    }

    /** How many timers are scheduled and not cancelled. */
    public int activeTimers() {
        int n = 0;
        for (ManualTimer t : timers) {
            if (!t.cancelled) {
                n++;
            }
        }
        return n;
    }

    private static final class ManualTimer implements Timer, Comparable<ManualTimer> {
        final long due;
        final long order;
        final Runnable task;
        boolean cancelled;

        ManualTimer(long due, long order, Runnable task) {
            this.due = due;
            this.order = order;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(ManualTimer o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(order, o.order);
        }
    }
}
