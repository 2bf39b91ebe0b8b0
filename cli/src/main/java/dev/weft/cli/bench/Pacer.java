package dev.weft.cli.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The clock of an open-loop run: one thread that sends each connection's messages when they fall
 * due, then sleeps until the next one does. A connection waiting for room, or one that has just
 * opened, wakes it. Thread-safe.
 */
final class Pacer {

    /** The longest sleep, so that the end of the run is noticed even if nothing wakes the pacer. */
    private static final long LONGEST_SLEEP = TimeUnit.MILLISECONDS.toNanos(100);

    private final Iterable<EchoWorker> workers;
    private final Thread thread;
    private volatile boolean stopped;

    Pacer(Iterable<EchoWorker> workers) {
        this.workers = workers;
        this.thread = new Thread(this::run, "weft-bench-pacer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Makes the pacer look at every connection again now. */
    void wake() {
        LockSupport.unpark(thread);
    }

    /** Ends the pacer's thread; sends no more. */
    void stop() {
        stopped = true;
        wake();
    }

    private void run() {
        while (!stopped) {
            long now = System.nanoTime();
            long next = now + LONGEST_SLEEP;
            for (EchoWorker w : workers) {
                next = Math.min(next, w.pace(now));
            }
            LockSupport.parkNanos(this, next - System.nanoTime());
        }
    }
}
