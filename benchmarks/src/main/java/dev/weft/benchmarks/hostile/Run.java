package dev.weft.benchmarks.hostile;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The time a load runs and the sockets open in it. When the time is up (or {@link #end()} is
 * called) every registered socket is closed, which wakes any attacker blocked in a write to a
 * server that stopped reading, and every {@link #pause} returns: so the whole load stops by
 * itself. Thread-safe.
 */
final class Run {

    private final long deadline;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    Run(Duration duration) {
        this.deadline = System.nanoTime() + duration.toNanos();
    }

    /** Whether the time is up or the run was ended. */
    boolean over() {
        return ended.getCount() == 0 || System.nanoTime() - deadline >= 0;
    }

    /** Nanoseconds left, at least 0. */
    long nanosLeft() {
        return ended.getCount() == 0 ? 0 : Math.max(0, deadline - System.nanoTime());
    }

    /** Waits for {@code time}, or less if the run ends first. */
    void pause(Duration time) throws InterruptedException {
        ended.await(Math.min(time.toNanos(), nanosLeft()), TimeUnit.NANOSECONDS);
    }

    /** Waits until the time is up; then ends the run. */
    void awaitEnd() throws InterruptedException {
        while (!over()) {
            ended.await(nanosLeft(), TimeUnit.NANOSECONDS);
        }
        end();
    }

    /** Ends the run now and closes every socket still registered. Idempotent. */
    void end() {
        ended.countDown();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    /** Registers a socket to close at the end; closes it at once if the run has ended already. */
    void opened(Socket socket) {
        sockets.add(socket);
        if (ended.getCount() == 0) {
            closeQuietly(socket);
        }
    }

    /** Closes a socket and forgets it. */
    void close(Socket socket) {
        sockets.remove(socket);
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Closing is all that was wanted; a socket that fails to close is closed enough.
        }
    }
}
