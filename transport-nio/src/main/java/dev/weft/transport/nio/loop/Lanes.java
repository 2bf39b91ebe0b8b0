package dev.weft.transport.nio.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counts that every message updates, kept in one lane per thread. An event loop's thread counts in
 * its own lane with plain stores: a counter the loops share (even a {@code LongAdder}, which stays
 * on one shared field until two threads happen to collide) moves its cache line between cores on
 * every message. A reader adds the lanes up; it may miss a lane's latest increments, but a count it
 * reads never goes down (opaque access: atomic and coherent, with no fence on the writer's side).
 */
public final class Lanes {

    /** What a lane counts. */
    public enum Count { MESSAGES_IN, MESSAGES_OUT, BYTES_IN, BYTES_OUT }

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final List<long[]> lanes = new CopyOnWriteArrayList<>();
    private final ThreadLocal<long[]> own = ThreadLocal.withInitial(() -> {
        long[] lane = new long[Count.values().length];
        lanes.add(lane);
        return lane;
    });

    /** Adds {@code n} to {@code count} in the calling thread's lane. */
    void add(Count count, long n) {
        long[] lane = own.get();
        int i = count.ordinal();
        SLOT.setOpaque(lane, i, (long) SLOT.getOpaque(lane, i) + n);
    }

    /** The sum of {@code count} over every lane. Any thread. */
    public long sum(Count count) {
        long sum = 0;
        for (long[] lane : lanes) {
            sum += (long) SLOT.getOpaque(lane, count.ordinal());
        }
        return sum;
    }
}
