package dev.weft.core.session;

import dev.weft.api.CloseCodes;
import dev.weft.api.metrics.MemoryUse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One bound on the memory that all the connections of a server (or of a client instance) hold:
 * unfinished incoming frames and messages, inflated output included, queued outgoing bytes, and
 * compression contexts. Each connection owns a {@link Share} and reports what it holds after each
 * read and write; the budget adds the shares up. Thread-safe: shares live on different event loops.
 *
 * <h2>Theory of operation</h2>
 * A connection's holdings grow only with bytes that arrived (or that it was asked to send), one
 * read or one decompressed slice at a time, so the total can pass the limit by at most that much
 * per event loop before the budget acts. When it does:
 * <ol>
 * <li>the connections holding the most stop reading, largest first, until those still reading
 *     hold at most half of the limit: TCP pushes back on their peers, and the others can finish
 *     their messages;
 * <li>if the total is still over the limit at a later report while some connections are paused,
 *     pausing did not help: the largest holder is closed with 1013 (Try Again Later; the server is
 *     short of memory, which is not the peer's fault by any rule it was told), and its holdings
 *     return to the budget once it has closed;
 * <li>once the total falls to three quarters of the limit, every paused connection reads again.
 * </ol>
 * The common path (a report that stays within the limit) is one atomic add; only a report over
 * the limit takes the lock and looks at the shares.
 */
public final class MemoryBudget implements MemoryUse {

    /** A budget too large to matter, for tests and tools that measure without bounds. */
    public static final long UNLIMITED = Long.MAX_VALUE / 4;

    private final long limit;
    private final AtomicLong total = new AtomicLong();
    private final Set<Share> shares = ConcurrentHashMap.newKeySet();
    private final AtomicInteger paused = new AtomicInteger();
    private final AtomicLong evictions = new AtomicLong();

    /** @param limit the most bytes all shares together may hold; positive */
    public MemoryBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("a memory budget must be positive: " + limit);
        }
        this.limit = limit;
    }

    /** The default limit: a quarter of the heap the JVM may use. */
    public static long defaultLimit() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** The limit, in bytes. */
    @Override
    public long limit() {
        return limit;
    }

    /** What all shares hold now, in bytes. */
    @Override
    public long heldBytes() {
        return total.get();
    }

    /** How many connections the budget has stopped reading now. */
    @Override
    public int pausedConnections() {
        return paused.get();
    }

    /** How many connections this budget has closed for holding the most when over it. */
    public long evictions() {
        return evictions.get();
    }

    /**
     * A share for one connection, holding nothing yet.
     *
     * @param holder what the budget pauses, resumes or closes; called from any thread
     */
    public Share open(Holder holder) {
        Share share = new Share(holder);
        shares.add(share);
        return share;
    }

    /** What a share belongs to: a connection, told to stop or go on reading, or to close. */
    public interface Holder {
        /** Stops (or resumes) reading because of the budget. Any thread. */
        void pauseForBudget(boolean paused);

        /** Closes with {@code code}: the budget needs its memory back. Any thread. */
        void evict(int code, String reason);
    }

    /** One connection's holdings. Updated on the connection's thread, read from any. */
    public final class Share {

        private final Holder holder;
        private volatile long held;
        /** Both guarded by the budget's lock. */
        private boolean pausedByBudget;
        private boolean evicted;
        /** Set on the connection's thread, where {@link #update} is called. */
        private boolean closed;

        private Share(Holder holder) {
            this.holder = holder;
        }

        /** What this share holds now. */
        public long heldBytes() {
            return held;
        }

        /** Reports what the connection holds now; acts if the budget is exceeded. */
        public void update(long heldNow) {
            if (closed) {
                return;
            }
            report(heldNow);
        }

        private void report(long heldNow) {
            long delta = heldNow - held;
            if (delta == 0) {
                return;
            }
            held = heldNow;
            long sum = total.addAndGet(delta);
            if (sum > limit) {
                overLimit();
            } else if (delta < 0 && paused.get() > 0 && sum <= limit - limit / 4) {
                resumeAll();
            }
        }

        /** The connection has ended: gives back all it held. Calling it again has no effect. */
        public void close() {
            if (shares.remove(this)) {
                report(0);
                closed = true;
                synchronized (MemoryBudget.this) {
                    if (pausedByBudget) {
                        pausedByBudget = false;
                        paused.decrementAndGet();
                    }
                }
                if (paused.get() > 0 && total.get() <= limit - limit / 4) {
                    resumeAll();
                }
            }
        }
    }

    private synchronized void overLimit() {
        long sum = total.get();
        List<Share> live = new ArrayList<>();
        for (Share s : shares) {
            if (s.evicted) {
                // Already closing: its memory is on its way back.
                sum -= s.held;
            } else {
                live.add(s);
            }
        }
        if (sum <= limit || live.isEmpty()) {
            return;
        }
        live.sort(Comparator.comparingLong((Share s) -> s.held).reversed());
        if (paused.get() > 0) {
            Share largest = live.get(0);
            largest.evicted = true;
            evictions.incrementAndGet();
            largest.holder.evict(CloseCodes.TRY_AGAIN_LATER, "memory budget exceeded: " + sum
                    + " of " + limit + " bytes held, " + largest.held + " by this connection");
            return;
        }
        long reading = sum;
        for (Share s : live) {
            if (reading <= limit / 2) {
                break;
            }
            s.pausedByBudget = true;
            paused.incrementAndGet();
            reading -= s.held;
            s.holder.pauseForBudget(true);
        }
    }

    private synchronized void resumeAll() {
        if (total.get() > limit - limit / 4) {
            return;
        }
        for (Share s : shares) {
            if (s.pausedByBudget) {
                s.pausedByBudget = false;
                paused.decrementAndGet();
                s.holder.pauseForBudget(false);
            }
        }
    }
}
