package dev.weft.transport.blocking.socket;

import dev.weft.core.session.LoopFuture;
import dev.weft.core.session.Scheduler;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The "loop" of one blocking connection: there is no loop thread, so the session runs on whichever
 * thread holds this lock, one at a time. The thread that reads runs the bytes it read; a thread
 * that sends writes its own frame; a timer runs on a thread of its own. Tasks handed over while
 * another thread holds the lock are queued and run by that thread before it lets go, so a task
 * never waits behind the lock for a thread that is blocked elsewhere.
 *
 * <p>It is a {@link ReentrantLock}, never {@code synchronized}: a virtual thread that blocks in a
 * socket write while holding it does not pin its carrier. While a thread holds it, futures the
 * session returns refuse to be waited on from that thread ({@link LoopFuture}), as they would be
 * completed only once it lets go.
 */
final class SessionLock implements Scheduler {

    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Timers timers;

    SessionLock(Timers timers) {
        this.timers = timers;
    }

    @Override
    public boolean inEventLoop() {
        return lock.isHeldByCurrentThread();
    }

    /**
     * Runs {@code task} holding the lock: now if the lock is free, otherwise by the thread that
     * holds it, before it lets go (after the task it runs now, when that is this thread). Never
     * waits for the lock.
     */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (!lock.isHeldByCurrentThread()) {
            drain();
        }
    }

    /** Runs {@code task} holding the lock, waiting for it if another thread holds it. */
    void run(Runnable task) {
        if (lock.isHeldByCurrentThread()) {
            task.run();
            return;
        }
        lock.lock();
        boolean marked = enter();
        try {
            task.run();
            runQueued();
        } finally {
            leave(marked);
        }
        drain();
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        return timers.schedule(() -> execute(task), delayNanos);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    /**
     * Runs what is queued, for as long as something is and the lock is free. Checking again after
     * letting go is what keeps a task queued by a thread that just failed to take the lock from
     * being left behind.
     */
    private void drain() {
        while (!tasks.isEmpty() && lock.tryLock()) {
            boolean marked = enter();
            try {
                runQueued();
            } finally {
                leave(marked);
            }
        }
    }

    private void runQueued() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            task.run();
        }
    }

    // A thread that is an event loop already (an NIO loop sending to a blocking connection) stays one.
    private static boolean enter() {
        if (LoopFuture.onLoop()) {
            return false;
        }
        LoopFuture.enterLoop();
        return true;
    }

    private void leave(boolean marked) {
        if (marked) {
            LoopFuture.leaveLoop();
        }
        lock.unlock();
    }
}
