package dev.weft.core.session;

import java.util.concurrent.Executor;

/**
 * The thread and the clock a session runs on, provided by its transport: an event loop for NIO, a
 * manual clock in tests. The session creates no threads and reads no clock of its own.
 */
public interface Scheduler extends Executor {

    /** Whether the calling thread is the one this scheduler runs tasks on. */
    boolean inEventLoop();

    /**
     * Runs {@code task} on the loop thread, after tasks already submitted. Safe to call from any
     * thread.
     */
    @Override
    void execute(Runnable task);

    /**
     * Runs {@code task} on the loop thread once {@code delayNanos} have passed on {@link #nanoTime()}.
     * Called on the loop thread.
     */
    Timer schedule(Runnable task, long delayNanos);

    /** The loop's monotonic clock, in nanoseconds. */
    long nanoTime();

    /** A scheduled task. */
    interface Timer {
        /** Stops the task from running if it has not run yet; harmless if it has. */
        void cancel();
    }
}
