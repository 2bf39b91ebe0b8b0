package dev.weft.transport.nio;

import dev.weft.transport.nio.loop.EventLoop;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of {@link EventLoop}s. Connections are spread over them in turn, and each stays on
 * its loop for its whole life. A group can be shared by several servers and clients; whoever
 * created it closes it. Thread-safe.
 */
public final class EventLoopGroup implements AutoCloseable {

    private static final int READ_BUFFER = 64 * 1024;

    private final EventLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * Starts {@code threads} event loops named {@code name-0}, {@code name-1}...
     *
     * @param threads how many loops; at least one
     * @param name the thread name prefix
     */
    public EventLoopGroup(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("an event loop group needs at least one thread: " + threads);
        }
        loops = new EventLoop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new EventLoop(name + "-" + i, READ_BUFFER);
            loops[i].start();
        }
    }

    /** One loop per available processor. */
    public EventLoopGroup(String name) {
        this(Runtime.getRuntime().availableProcessors(), name);
    }

    /** The loop for the next connection, in turn. */
    EventLoop next() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    /** How many loops the group has. */
    public int size() {
        return loops.length;
    }

    /**
     * Stops every loop, closing what is still registered on it, and waits up to {@code timeout}
     * for the threads to end.
     *
     * @return whether every loop ended in time
     */
    public boolean shutdown(Duration timeout) throws InterruptedException {
        for (EventLoop loop : loops) {
            loop.shutdown();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean ended = true;
        for (EventLoop loop : loops) {
            ended &= loop.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        return ended;
    }

    /** Stops every loop and waits up to five seconds. */
    @Override
    public void close() {
        try {
            shutdown(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
