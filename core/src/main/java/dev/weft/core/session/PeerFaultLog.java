package dev.weft.core.session;

import java.util.concurrent.atomic.AtomicLong;

import static java.lang.System.Logger.Level.INFO;

/**
 * Logs, at INFO, each connection this process closes because of what its peer did (bad input, a
 * limit, the memory budget): the peer's address, the close code and the reason. Rate-limited, so
 * that a flood of bad peers cannot flood the log: at most {@link #PER_SECOND} lines a second, and
 * the first line after a busy second says how many were left out. Thread-safe.
 */
final class PeerFaultLog {

    static final int PER_SECOND = 20;
    private static final System.Logger LOG = System.getLogger("dev.weft.peer");
    private static final long SECOND = 1_000_000_000L;

    private static final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private static final AtomicLong inWindow = new AtomicLong();
    private static final AtomicLong suppressed = new AtomicLong();

    private PeerFaultLog() {
    }

    static void closed(Object peer, int code, String reason) {
        if (!LOG.isLoggable(INFO)) {
            return;
        }
        long now = System.nanoTime();
        long start = windowStart.get();
        if (now - start >= SECOND && windowStart.compareAndSet(start, now)) {
            inWindow.set(0);
        }
        if (inWindow.incrementAndGet() > PER_SECOND) {
            suppressed.incrementAndGet();
            return;
        }
        long skipped = suppressed.getAndSet(0);
        LOG.log(INFO, "closed " + peer + " with " + code + ": " + reason
                + (skipped > 0 ? " (" + skipped + " such closes not logged)" : ""));
    }
}
