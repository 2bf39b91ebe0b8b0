package dev.weft.core.log;

import java.util.concurrent.atomic.AtomicLong;

/**
 * At most a number of log lines a second, counting what it leaves out. Thread-safe. The clock is a
 * parameter so that tests can drive it.
 */
final class LogRate {

    /** {@link #admit} answers this for a line to leave out. */
    static final long LEAVE_OUT = -1;
    private static final long SECOND = 1_000_000_000L;

    private final int perSecond;
    private final AtomicLong windowStart;
    private final AtomicLong inWindow = new AtomicLong();
    private final AtomicLong leftOut = new AtomicLong();

    LogRate(int perSecond, long nowNanos) {
        this.perSecond = perSecond;
        this.windowStart = new AtomicLong(nowNanos);
    }

    /**
     * Whether a line may be logged at {@code nowNanos}: {@link #LEAVE_OUT}, or how many lines were
     * left out since the last one logged (for the line to mention).
     */
    long admit(long nowNanos) {
        long start = windowStart.get();
        if (nowNanos - start >= SECOND && windowStart.compareAndSet(start, nowNanos)) {
            inWindow.set(0);
        }
        if (inWindow.incrementAndGet() > perSecond) {
            leftOut.incrementAndGet();
            return LEAVE_OUT;
        }
        return leftOut.getAndSet(0);
    }
}
