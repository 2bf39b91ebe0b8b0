package dev.weft.cluster;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One kind of log line, written at most once per interval however often it happens, with the
 * number of times it was left out since: a peer that floods a channel with garbage must not flood
 * the log too. Thread-safe.
 */
final class QuietLog {

    private static final System.Logger LOG = System.getLogger("dev.weft.cluster");

    private final System.Logger.Level level;
    private final long intervalNanos;
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong leftOut = new AtomicLong();

    QuietLog(System.Logger.Level level, long intervalNanos) {
        this.level = level;
        this.intervalNanos = intervalNanos;
    }

    void log(Supplier<String> line) {
        long now = System.nanoTime();
        long then = last.get();
        if (then != Long.MIN_VALUE && now - then < intervalNanos || !last.compareAndSet(then, now)) {
            leftOut.incrementAndGet();
            return;
        }
        long skipped = leftOut.getAndSet(0);
        LOG.log(level, () -> line.get() + (skipped == 0 ? "" : " (and " + skipped + " more like it)"));
    }

    static System.Logger logger() {
        return LOG;
    }
}
