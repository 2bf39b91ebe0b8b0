package dev.weft.cluster.redis;

import dev.weft.api.Message;
import dev.weft.cluster.BrokerException;
import dev.weft.cluster.Rooms;
import dev.weft.cluster.RoomsStats;
import dev.weft.testing.DetachedConnection;
import dev.weft.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three nodes' {@link Rooms} in one JVM joined through one real Redis, with connections that have no
 * transport: what docs/cluster.md promises across nodes (order per publisher, the excluded
 * connection, subscriptions that follow membership, losses counted, recovery, a broker down at start).
 */
class RedisClusterTest extends RedisTestCase {

    private static final long WAIT_SECONDS = 30;
    private static final Duration WAIT = Duration.ofSeconds(WAIT_SECONDS);
    private static final String[] NODES = {"a", "b", "c"};

    private final List<Thread> threads = new ArrayList<>();

    /** Before what the test opened is closed (JUnit runs a subclass's {@code @AfterEach} first). */
    @AfterEach
    void stopThreads() throws InterruptedException {
        for (Thread t : threads) {
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
    }

    @Test
    void aThousandMessagesFromEachOfThreePublishersReachEveryMemberOnEveryNodeInEachPublishersOrder() throws Exception {
        RedisServer redis = server();
        List<Rooms> nodes = threeNodes(redis.uri());
        List<DetachedConnection> members = new ArrayList<>();
        for (Rooms node : nodes) {
            for (int i = 1; i <= 2; i++) {
                DetachedConnection member = new DetachedConnection("member " + i + " on " + node.node());
                node.join("crowd", member);
                members.add(member);
            }
        }
        settle(nodes);

        int perPublisher = 1000;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> publishers = new ArrayList<>();
        for (Rooms node : nodes) {
            publishers.add(running("publisher on " + node.node(), () -> {
                go.await();
                for (int i = 1; i <= perPublisher; i++) {
                    node.broadcast("crowd", Message.text(node.node() + ":" + i));
                }
            }));
        }
        go.countDown();
        CompletableFuture.allOf(publishers.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);

        for (DetachedConnection member : members) {
            Map<String, Integer> last = new HashMap<>();
            for (int n = 0; n < NODES.length * perPublisher; n++) {
                String[] message = member.nextText(WAIT).split(":");
                int previous = last.getOrDefault(message[0], 0);
                assertEquals(previous + 1, Integer.parseInt(message[1]), member + ", from node " + message[0]);
                last.put(message[0], previous + 1);
            }
            assertEquals(Map.of("a", perPublisher, "b", perPublisher, "c", perPublisher), last, member.toString());
            assertTrue(member.pending().isEmpty(), member + " got more: " + member.pending());
        }
        for (Rooms node : nodes) {
            RoomsStats stats = node.stats();
            assertEquals(0, stats.missed(), node.node() + ": " + stats);
            assertEquals(0, stats.dropped(), node.node() + ": " + stats);
            assertEquals(2L * perPublisher, stats.received(), node.node() + " hears the two others: " + stats);
            await(() -> node.stats().published() == perPublisher, () -> node.node() + ": " + node.stats());
        }
    }

    @Test
    void theExcludedSenderIsSkippedOnItsNodeAndAConnectionNamedByABackEndIsSkippedOnItsOwn() throws Exception {
        RedisServer redis = server();
        List<Rooms> nodes = threeNodes(redis.uri());
        List<DetachedConnection> members = new ArrayList<>();
        for (Rooms node : nodes) {
            for (int i = 1; i <= 2; i++) {
                DetachedConnection member = new DetachedConnection(node.node() + i);
                node.join("shared", member);
                members.add(member);
            }
        }
        settle(nodes);
        Rooms a = nodes.get(0);
        Rooms b = nodes.get(1);
        DetachedConnection sender = members.get(0); // a1
        DetachedConnection named = members.get(2); // b1

        assertEquals(1, a.broadcast("shared", Message.text("from a1"), sender), "a2 only, on node a");
        a.broadcast("shared", Message.text("end of a"));
        for (DetachedConnection member : members) {
            if (member != sender) {
                assertEquals("from a1", member.nextText(WAIT), member.toString());
            }
            // Messages from one node arrive in order: nothing more from a can follow its "end".
            assertEquals("end of a", member.nextText(WAIT), member.toString());
        }

        try (Probe backEnd = new Probe(redis.uri())) {
            String except = b.idOf(named);
            assertEquals(3, backEnd.publish("weft:room:shared", "weft/1 m backend 0 t " + except + " shared\nnot for b1"),
                    "one subscription per node");
            backEnd.publish("weft:room:shared", "weft/1 m backend 0 t - shared\nend of the back end");
        }
        for (DetachedConnection member : members) {
            if (member != named) {
                assertEquals("not for b1", member.nextText(WAIT), member.toString());
            }
            assertEquals("end of the back end", member.nextText(WAIT), member.toString());
            assertTrue(member.pending().isEmpty(), member + " got more: " + member.pending());
        }
        for (Rooms node : nodes) {
            assertEquals(0, node.stats().missed(), node.node() + ": " + node.stats());
            assertEquals(0, node.stats().malformed(), node.node() + ": " + node.stats());
        }
    }

    @Test
    void roomsJoinedAndLeftWhileMessagesFlowLeaveNoSubscriptionBehind() throws Exception {
        RedisServer redis = server();
        List<Rooms> nodes = threeNodes(redis.uri());
        Rooms a = nodes.get(0);
        int roomCount = 16;
        // A member of room 0 on b and c throughout the churn, to see what a publishes arrive.
        List<DetachedConnection> watchers = List.of(new DetachedConnection("watcher on b"), new DetachedConnection("watcher on c"));
        nodes.get(1).join("churn-0", watchers.get(0));
        nodes.get(2).join("churn-0", watchers.get(1));
        settle(nodes);

        AtomicBoolean churning = new AtomicBoolean(true);
        CompletableFuture<Void> publisher = running("publisher on a", () -> {
            Random random = new Random(1);
            // Fewer than a's outbound queue and b's and c's inbound ones hold, so that no queue can
            // overflow however slow the machine: a loss here could then only be the rooms' fault.
            for (int n = 1; n <= 5_000 && churning.get(); n++) {
                a.broadcast("churn-" + random.nextInt(roomCount), Message.text("m" + n));
            }
        });
        List<CompletableFuture<Void>> churners = new ArrayList<>();
        for (Rooms node : nodes) {
            for (int t = 0; t < 2; t++) {
                long seed = node.node().hashCode() * 31L + t;
                List<DetachedConnection> own = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    own.add(new DetachedConnection("churner " + t + "." + i + " on " + node.node()));
                }
                churners.add(running("churn " + t + " on " + node.node(), () -> {
                    Random random = new Random(seed);
                    for (int n = 0; n < 2000; n++) {
                        String room = "churn-" + random.nextInt(roomCount);
                        DetachedConnection c = own.get(random.nextInt(own.size()));
                        if (!node.leave(room, c)) {
                            node.join(room, c);
                        }
                    }
                    own.forEach(node::leaveAll); // every member this thread made leaves
                }));
            }
        }
        CompletableFuture.allOf(churners.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        churning.set(false);
        publisher.get(WAIT_SECONDS, TimeUnit.SECONDS);
        a.broadcast("churn-0", Message.text("end"));
        for (DetachedConnection watcher : watchers) {
            List<String> heard = new ArrayList<>();
            String message;
            while (!(message = watcher.nextText(WAIT)).equals("end")) {
                heard.add(message);
            }
            assertFalse(heard.isEmpty(), watcher + " heard nothing of room 0 while the others churned");
            nodes.get(1 + watchers.indexOf(watcher)).leaveAll(watcher);
        }
        settle(nodes);

        try (Probe probe = new Probe(redis.uri())) {
            assertEquals(List.of(), probe.channels("weft:room:*"), "no node is subscribed to any room");
            for (int r = 0; r < roomCount; r++) {
                assertEquals(0, probe.subscribers("weft:room:churn-" + r), "churn-" + r);
            }
        }
        for (Rooms node : nodes) {
            assertEquals(Set.of(), node.names(), node.node());
            RoomsStats stats = node.stats();
            // Redis stayed up and no queue filled: nothing was lost, so no gap may be counted either.
            assertEquals(0, stats.missed(), node.node() + ": " + stats);
            assertEquals(0, stats.dropped(), node.node() + ": " + stats);
            assertEquals(0, stats.malformed(), node.node() + ": " + stats);
        }
    }

    @Test
    void aRedisRestartMidRunCostsCountedMessagesOnlyAndTrafficResumesWithoutGrowth() throws Exception {
        RedisServer redis = server();
        List<Rooms> nodes = threeNodes(redis.uri());
        Rooms a = nodes.get(0);
        Rooms b = nodes.get(1);
        Rooms c = nodes.get(2);
        DetachedConnection local = new DetachedConnection("member on a");
        DetachedConnection onB = new DetachedConnection("member on b");
        DetachedConnection onC = new DetachedConnection("member on c");
        a.join("steady", local);
        b.join("steady", onB);
        c.join("steady", onC);
        settle(nodes);

        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Void> publisher = running("steady publisher on a", () -> {
            while (publishing.get()) {
                a.broadcast("steady", Message.text(Integer.toString(sent.incrementAndGet())));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // the pace of the traffic, not a wait for anything
            }
        });
        await(() -> b.stats().received() >= 100 && c.stats().received() >= 100, () -> "traffic before the outage");
        int threadsBefore = liveThreads();

        // Two outages: one may start the threads Lettuce starts lazily (a computation pool of two per
        // broker, which reconnects); a second must start nothing more.
        for (int outage = 1; outage <= 2; outage++) {
            outage(redis, nodes, sent, List.of(onB, onC));
            int threadsAfter = liveThreads();
            assertTrue(threadsAfter <= threadsBefore + NODES.length * 2 + 2,
                    threadsBefore + " threads before the outages, " + threadsAfter + " after outage " + outage);
        }
        publishing.set(false);
        publisher.get(WAIT_SECONDS, TimeUnit.SECONDS);
        int total = sent.get();

        // The outbound queue drained: every message was published or dropped, none is pending.
        await(() -> a.stats().published() + a.stats().dropped() == total, () -> total + " sent, " + a.stats());
        a.settled().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(range(1, total), drain(local, total), "a's own member lost nothing");
        long dropped = a.stats().dropped();
        long missedAnywhere = 0;
        for (Rooms receiver : List.of(b, c)) {
            DetachedConnection member = receiver == b ? onB : onC;
            List<Integer> delivered = drain(member, total);
            for (int i = 1; i < delivered.size(); i++) {
                assertTrue(delivered.get(i) > delivered.get(i - 1), member + ": " + delivered.get(i) + " after "
                        + delivered.get(i - 1) + " (out of order, or twice)");
            }
            long missed = receiver.stats().missed();
            missedAnywhere += missed;
            // Every message got a sequence number but those dropped from a full queue, and b and c
            // heard the first and the last: what they did not get is either a gap they counted or a
            // drop at a. And a gap is counted only for a message that did not arrive.
            assertTrue(delivered.size() + missed + dropped >= total, member + ": " + delivered.size()
                    + " delivered + " + missed + " missed + " + dropped + " dropped at a < " + total + " sent");
            assertTrue(delivered.size() + missed <= total, member + ": " + delivered.size() + " delivered + "
                    + missed + " missed > " + total + " sent");
        }
        assertTrue(dropped + missedAnywhere > 0, "the outages cost nothing that was counted: " + a.stats());
    }

    @Test
    void aBrokerDownAtStartIsAnErrorNamingItOrIfAllowedALocalStartThatJoinsTheClusterLater() throws Exception {
        int port = RedisServer.freePort();
        URI dead = URI.create("redis://127.0.0.1:" + port);

        BrokerException refused = assertThrows(BrokerException.class,
                () -> Rooms.builder().broker(RedisBroker.create(dead)).node("x").start());
        assertTrue(refused.getMessage().contains("redis://127.0.0.1:" + port), refused.getMessage());

        Rooms alone = Rooms.builder().broker(RedisBroker.create(dead)).node("x").startWithoutBroker(true)
                .retry(Duration.ofMillis(100)).start();
        closing.add(alone);
        DetachedConnection first = new DetachedConnection("first on x");
        DetachedConnection second = new DetachedConnection("second on x");
        alone.join("late", first);
        alone.join("late", second);
        assertEquals(2, alone.broadcast("late", Message.text("local"), null));
        assertEquals("local", first.nextText(WAIT));
        assertEquals("local", second.nextText(WAIT));
        assertFalse(alone.health().up(), alone.health().toString());
        await(() -> alone.stats().dropped() == 1, () -> "the broadcast for other nodes, with no broker: " + alone.stats());
        CompletableFuture<Void> settled = alone.settled().toCompletableFuture();
        assertFalse(settled.isDone(), "nothing can reach a broker that has not started");

        RedisServer redis = RedisServer.startOn(port, null, directory);
        closing.add(redis);
        Rooms other = rooms(redis.uri(), "y");
        DetachedConnection there = new DetachedConnection("member on y");
        other.join("late", there);
        settle(List.of(other));
        settled.get(WAIT_SECONDS, TimeUnit.SECONDS);
        await(() -> alone.health().up(), () -> "x still reports " + alone.health());

        other.broadcast("late", Message.text("from y"), there);
        assertEquals("from y", first.nextText(WAIT));
        assertEquals("from y", second.nextText(WAIT));
        alone.broadcast("late", Message.text("from x"), first);
        assertEquals("from x", there.nextText(WAIT));
        assertEquals("from x", second.nextText(WAIT));
        assertTrue(first.pending().isEmpty(), "the sender was skipped: " + first.pending());
        assertEquals(1, alone.stats().dropped(), "only the broadcast made before the broker started: " + alone.stats());
    }

    // --- helpers

    private RedisServer server() throws Exception {
        RedisServer redis = RedisServer.start(directory);
        closing.add(redis);
        return redis;
    }

    private List<Rooms> threeNodes(URI redis) throws Exception {
        List<Rooms> nodes = new ArrayList<>();
        for (String node : NODES) {
            nodes.add(rooms(redis, node));
        }
        return nodes;
    }

    private Rooms rooms(URI redis, String node) throws Exception {
        Rooms rooms = Rooms.builder().broker(RedisBroker.create(redis)).node(node).retry(Duration.ofMillis(100)).start();
        closing.add(rooms);
        return rooms;
    }

    private static void settle(List<Rooms> nodes) throws Exception {
        for (Rooms node : nodes) {
            node.settled().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Runs {@code work} on a thread of its own; the future fails with what it threw. */
    private CompletableFuture<Void> running(String name, Work work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                work.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, name);
        threads.add(t);
        t.start();
        return done;
    }

    /** Checks {@code condition} until it holds, and fails if it does not within the deadline. */
    private static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not so after " + WAIT_SECONDS + " s: " + what.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // a poll interval
        }
    }

    /**
     * Kills Redis while {@code nodes.get(0)} publishes to {@code receivers} on the others, and starts it
     * again on the same port: every node's health goes down, the publisher counts a drop, health comes
     * back up, and a message published after the restart reaches every receiver.
     */
    private static void outage(RedisServer redis, List<Rooms> nodes, AtomicInteger sent, List<DetachedConnection> receivers)
            throws Exception {
        Rooms publisher = nodes.get(0);
        redis.kill();
        for (Rooms node : nodes) {
            await(() -> !node.health().up(), () -> node.node() + " still reports " + node.health());
        }
        // Redis is gone: every publish from here until it is back fails, and is counted.
        long droppedBefore = publisher.stats().dropped();
        await(() -> publisher.stats().dropped() > droppedBefore, () -> "no drop counted while Redis was down: "
                + publisher.stats());

        redis.restart();
        for (Rooms node : nodes) {
            await(() -> node.health().up(), () -> node.node() + " still reports " + node.health());
        }
        int afterRestart = sent.get();
        for (DetachedConnection receiver : receivers) {
            await(() -> last(receiver) > afterRestart, () -> "nothing published after the restart reached " + receiver);
        }
    }

    /** The number of the last message {@code member} has been sent, 0 before the first. */
    private static int last(DetachedConnection member) {
        List<String> pending = member.pending().stream().map(m -> ((Message.Text) m).text()).toList();
        return pending.isEmpty() ? 0 : Integer.parseInt(pending.get(pending.size() - 1));
    }

    /** The numbers of every message sent to {@code member}, up to and including {@code last}. */
    private static List<Integer> drain(DetachedConnection member, int last) throws InterruptedException {
        List<Integer> numbers = new ArrayList<>();
        int n;
        do {
            n = Integer.parseInt(member.nextText(WAIT));
            numbers.add(n);
        } while (n < last);
        return numbers;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> numbers = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            numbers.add(i);
        }
        return numbers;
    }

    private static int liveThreads() {
        return Thread.getAllStackTraces().size();
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }
}
