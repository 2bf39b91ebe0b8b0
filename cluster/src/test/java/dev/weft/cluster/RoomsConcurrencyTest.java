package dev.weft.cluster;

import dev.weft.api.Message;
import dev.weft.testing.DetachedConnection;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rooms under many threads joining, leaving and broadcasting at once. Whether a member was present
 * for a broadcast is decided by one shared counter, not by time: a member ticks it after its join
 * returns and before it calls leave; a broadcaster ticks it before it calls broadcast and after
 * broadcast returns. A member whose join tick precedes a broadcast's call tick, and whose leave
 * tick follows its return tick, was a member for the broadcast's whole life and must receive it.
 */
class RoomsConcurrencyTest {

    /**
     * Few members per room, so rooms empty (and are removed) and are created again all the time:
     * 60,000 join-and-leave episodes in all.
     */
    private static final int ROOMS = 4;
    private static final int MEMBERS_PER_ROOM = 2;
    private static final int BROADCASTERS = 2;
    private static final int EPISODES_PER_MEMBER = 7_500;
    private static final int ROUNDS = 5_000;

    private record Episode(DetachedConnection member, int room, long joined, long leaving) {
    }

    private record Broadcast(long id, int room, long called, long returned) {
    }

    @Test
    void everyMemberPresentForAWholeBroadcastReceivesIt() throws Exception {
        Rooms rooms = new Rooms();
        AtomicLong clock = new AtomicLong();
        AtomicLong ids = new AtomicLong();
        // Per room: the call tick of the latest broadcast that has returned.
        AtomicLongArray lastReturnedCall = new AtomicLongArray(ROOMS);
        ConcurrentLinkedQueue<Episode> episodes = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Broadcast> broadcasts = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();

        ExecutorService pool = Executors.newFixedThreadPool(ROOMS * MEMBERS_PER_ROOM + BROADCASTERS);
        try {
            List<Future<?>> members = new ArrayList<>();
            for (int r = 0; r < ROOMS; r++) {
                for (int m = 0; m < MEMBERS_PER_ROOM; m++) {
                    int room = r;
                    DetachedConnection member = new DetachedConnection("room " + r + " member " + m);
                    members.add(pool.submit(() -> {
                        for (int e = 0; e < EPISODES_PER_MEMBER && !stop.get(); e++) {
                            if (!rooms.join(name(room), member)) {
                                problems.add(member + " could not join");
                            }
                            long joined = clock.incrementAndGet();
                            // Stay until a broadcast called after the join has returned, so every
                            // episode is checked against at least one broadcast.
                            while (lastReturnedCall.get(room) < joined && !stop.get()) {
                                Thread.yield();
                            }
                            long leaving = clock.incrementAndGet();
                            if (e % 2 == 0) {
                                if (!rooms.leave(name(room), member)) {
                                    problems.add(member + " was no longer in its room when it left");
                                }
                            } else {
                                rooms.leaveAll(member);
                            }
                            episodes.add(new Episode(member, room, joined, leaving));
                        }
                        return null;
                    }));
                }
            }
            List<Future<?>> broadcasters = new ArrayList<>();
            for (int b = 0; b < BROADCASTERS; b++) {
                broadcasters.add(pool.submit(() -> {
                    for (long n = 0; !stop.get(); n++) {
                        int room = (int) (n % ROOMS);
                        long id = ids.incrementAndGet();
                        long called = clock.incrementAndGet();
                        rooms.broadcast(name(room), Message.text(Long.toString(id)));
                        long returned = clock.incrementAndGet();
                        lastReturnedCall.accumulateAndGet(room, called, Math::max);
                        broadcasts.add(new Broadcast(id, room, called, returned));
                        Thread.yield();
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            try {
                for (Future<?> f : members) {
                    f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } finally {
                stop.set(true);
            }
            for (Future<?> f : broadcasters) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<List<Broadcast>> byRoom = new ArrayList<>();
        for (int r = 0; r < ROOMS; r++) {
            byRoom.add(new ArrayList<>());
        }
        broadcasts.forEach(b -> byRoom.get(b.room()).add(b));
        byRoom.forEach(list -> list.sort(Comparator.comparingLong(Broadcast::called)));
        long checked = 0;
        List<String> missed = new ArrayList<>();
        Map<DetachedConnection, Set<Long>> received = new HashMap<>();
        for (Episode e : episodes) {
            Set<Long> got = received.computeIfAbsent(e.member(),
                    m -> m.texts().stream().map(Long::parseLong).collect(Collectors.toSet()));
            List<Broadcast> list = byRoom.get(e.room());
            for (int i = firstCalledAfter(list, e.joined()); i < list.size() && list.get(i).called() < e.leaving(); i++) {
                Broadcast b = list.get(i);
                if (b.returned() < e.leaving()) {
                    checked++;
                    if (!got.contains(b.id())) {
                        missed.add(e.member() + " missed broadcast " + b.id());
                    }
                }
            }
        }
        assertEquals(List.of(), missed.subList(0, Math.min(10, missed.size())),
                missed.size() + " of " + checked + " deliveries missed");
        assertEquals(List.of(), List.copyOf(problems).subList(0, Math.min(10, problems.size())),
                problems.size() + " joins or leaves found the membership wrong");
        assertEquals((long) ROOMS * MEMBERS_PER_ROOM * EPISODES_PER_MEMBER, episodes.size());
        assertTrue(checked >= episodes.size(), "every episode was present for a whole broadcast");
        assertEquals(Set.of(), rooms.names(), "every member left, so no room is left");
    }

    @Test
    void aClosedConnectionJoinsNothing() {
        Rooms rooms = new Rooms();
        DetachedConnection closed = new DetachedConnection("closed");
        closed.abort();

        assertFalse(rooms.join("a", closed));
        assertEquals(Set.of(), rooms.names());
    }

    /**
     * The server makes a closed connection leave every room; a join made by another thread as it
     * closes (a handler running on an executor, say) must not leave it behind in a room.
     */
    @Test
    void aJoinRacingTheCloseOfItsConnectionLeavesNothingBehind() throws Exception {
        Rooms rooms = new Rooms();
        CyclicBarrier start = new CyclicBarrier(3);
        CyclicBarrier done = new CyclicBarrier(3);
        DetachedConnection[] current = new DetachedConnection[1];
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> joiner = pool.submit(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    start.await(10, TimeUnit.SECONDS);
                    rooms.join("a", current[0]);
                    done.await(10, TimeUnit.SECONDS);
                }
                return null;
            });
            Future<?> closer = pool.submit(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    start.await(10, TimeUnit.SECONDS);
                    current[0].abort();
                    rooms.leaveAll(current[0]);
                    done.await(10, TimeUnit.SECONDS);
                }
                return null;
            });
            for (int i = 0; i < ROUNDS; i++) {
                current[0] = new DetachedConnection("round " + i);
                start.await(10, TimeUnit.SECONDS);
                done.await(10, TimeUnit.SECONDS);
                assertEquals(Set.of(), rooms.members("a"), "round " + i);
            }
            joiner.get(10, TimeUnit.SECONDS);
            closer.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Set.of(), rooms.names());
    }

    private static int firstCalledAfter(List<Broadcast> sorted, long tick) {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted.get(mid).called() < tick) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static String name(int room) {
        return "room-" + room;
    }
}
