package dev.weft.core.session;

import dev.weft.api.metrics.ConnectionMetrics;

/**
 * What a session holds, as its share of a {@link MemoryBudget} sees it, and what the budget asks of
 * the session in return: to stop or resume reading, or to close. The budget asks from any thread;
 * the asking is handed to the session's loop.
 */
final class MemoryAccount implements MemoryBudget.Holder {

    /** Closes the session for the budget. */
    interface Eviction {
        void evict(int code, String reason);
    }

    private final Scheduler scheduler;
    private final Reading reading;
    private final Eviction eviction;
    private final ConnectionMetrics metrics;
    /** Null when the session has no budget. */
    private final MemoryBudget.Share share;
    private volatile long held;

    MemoryAccount(MemoryBudget budget, Scheduler scheduler, Reading reading, Eviction eviction, ConnectionMetrics metrics) {
        this.scheduler = scheduler;
        this.reading = reading;
        this.eviction = eviction;
        this.metrics = metrics;
        this.share = budget == null ? null : budget.open(this);
    }

    /** What the session held at its last report. Any thread. */
    long held() {
        return held;
    }

    /** The session holds {@code bytes} now; the budget hears of it only when it changed. */
    void report(long bytes) {
        if (bytes != held) {
            held = bytes;
            if (share != null) {
                share.update(bytes);
            }
        }
    }

    /** The session closed: all of it goes back to the budget. */
    void close() {
        held = 0;
        if (share != null) {
            share.close();
        }
    }

    @Override
    public void pauseForBudget(boolean paused) {
        if (paused) {
            metrics.budgetPaused();
        }
        scheduler.execute(() -> reading.pauseByBudget(paused));
    }

    @Override
    public void evict(int code, String reason) {
        metrics.closedByBudget();
        scheduler.execute(() -> eviction.evict(code, reason));
    }
}
