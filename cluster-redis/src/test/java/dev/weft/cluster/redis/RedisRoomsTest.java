package dev.weft.cluster.redis;

import dev.weft.testing.DetachedConnection;
import dev.weft.testing.RedisServer;
import dev.weft.api.Message;
import dev.weft.cluster.Rooms;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Two nodes' {@link Rooms} joined through one real Redis, with connections that have no transport. */
class RedisRoomsTest extends RedisTestCase {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long WAIT_SECONDS = 20;


    @Test
    void aBroadcastOnOneNodeReachesTheRoomOnTheOtherButNotTheExcludedSenderAndLeavingEndsTheSubscriptions() throws Exception {
        RedisServer redis = RedisServer.start(directory);
        closing.add(redis);
        Rooms a = rooms(redis, "a");
        Rooms b = rooms(redis, "b");
        DetachedConnection alice = new DetachedConnection("alice on a");
        DetachedConnection dave = new DetachedConnection("dave on a");
        DetachedConnection bob = new DetachedConnection("bob on b");
        a.join("chat", alice);
        a.join("chat", dave);
        b.join("chat", bob);
        a.settled().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        b.settled().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        try (Probe probe = new Probe(redis.uri())) {
            assertEquals(2, probe.subscribers("weft:room:chat"), "once settled, both nodes are subscribed to the room");
        }

        assertEquals(1, a.broadcast("chat", Message.text("hello from alice"), alice), "dave, here");
        a.broadcast("chat", Message.text("end"));

        assertEquals("hello from alice", bob.nextText(WAIT));
        assertEquals("end", bob.nextText(WAIT));
        assertEquals("hello from alice", dave.nextText(WAIT));
        assertEquals("end", dave.nextText(WAIT));
        assertEquals("end", alice.nextText(WAIT), "the sender was skipped");
        // Messages from one node arrive in order, so nothing more can be on its way after "end".
        assertTrue(bob.pending().isEmpty() && alice.pending().isEmpty(), bob.pending() + " " + alice.pending());

        awaitMembers(a, "chat", 3);
        awaitMembers(b, "chat", 3);
        assertEquals(0, a.stats().dropped());
        assertEquals(0, b.stats().missed());

        a.leaveAll(alice);
        a.leave("chat", dave);
        b.leave("chat", bob);
        a.settled().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        b.settled().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        try (Probe probe = new Probe(redis.uri())) {
            assertEquals(0, probe.subscribers("weft:room:chat"), "once the last members left and it settled, no node is subscribed");
        }
    }

    private Rooms rooms(RedisServer redis, String node) throws Exception {
        Rooms rooms = Rooms.builder().broker(RedisBroker.create(redis.uri())).node(node)
                .presenceInterval(Duration.ofMillis(100)).start();
        closing.add(rooms);
        return rooms;
    }

    /** Waits until the other node's count has arrived: counts are published every presence interval. */
    private static void awaitMembers(Rooms rooms, String room, int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (rooms.memberCount(room) != expected) {
            if (System.nanoTime() - deadline > 0) {
                fail("node " + rooms.node() + " counts " + rooms.memberCount(room) + " members of " + room
                        + ", not " + expected);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // a poll interval
        }
    }
}
