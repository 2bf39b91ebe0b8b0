package dev.weft.cluster;

import dev.weft.testing.DetachedConnection;
import dev.weft.api.Message;
import dev.weft.api.metrics.WebSocketMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rooms of two and three nodes joined through one {@link InMemoryBroker.Bus}. Nothing waits on
 * time: a test waits for a condition (with a deadline only a broken build reaches), for
 * {@link Rooms#settled()}, or for a fence — a message published on the bus after the ones under
 * test, which a member receives only after them, since the bus delivers one channel in order.
 */
class ClusterRoomsTest {

    private static final Set<String> BASE_CHANNELS = Set.of("weft:presence", "weft:all");

    private final InMemoryBroker.Bus bus = new InMemoryBroker.Bus();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final AtomicInteger fences = new AtomicInteger();
    private InMemoryBroker raw;

    @AfterEach
    void closeAll() throws Exception {
        bus.outage(false);
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    // --- broadcasts

    @Test
    void aBroadcastReachesTheRoomsMembersOnEveryNode() throws Exception {
        Rooms a = node("a");
        Rooms b = node("b");
        Rooms c = node("c");
        DetachedConnection a1 = member(a, "lobby", "a1");
        DetachedConnection b1 = member(b, "lobby", "b1");
        DetachedConnection b2 = member(b, "lobby", "b2");
        DetachedConnection bOther = member(b, "other", "b-other");
        DetachedConnection c1 = member(c, "lobby", "c1");
        settle(a, b, c);

        assertEquals(1, a.broadcast("lobby", Message.text("hi")), "handed to the members on its own node");
        Eventually.until(() -> a.stats().published() == 1, () -> "published: " + a.stats());
        fence("lobby", a1, b1, b2, c1);

        for (DetachedConnection m : List.of(a1, b1, b2, c1)) {
            assertEquals(List.of("hi", "fence 1"), m.texts(), m + ", once each: a node ignores its own messages");
        }
        assertEquals(List.of(), bOther.texts());
        assertEquals(2, b.stats().received(), "a's message and the fence");
        assertEquals(1, a.stats().received(), "the fence alone");
    }

    @Test
    void aBinaryBroadcastArrivesWholeThoughTheCallerReusesItsBuffer() throws Exception {
        Rooms a = node("a");
        Rooms b = node("b");
        DetachedConnection b1 = member(b, "lobby", "b1");
        settle(a, b);
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        ByteBuffer buffer = ByteBuffer.wrap(all.clone());
        a.broadcast("lobby", Message.binary(buffer));
        buffer.clear().put(new byte[256]); // reused at once, as a caller may

        Eventually.until(() -> b1.count() == 1, () -> "received: " + b1.received());
        ByteBuffer data = ((Message.Binary) b1.received().get(0)).data();
        assertEquals(ByteBuffer.wrap(all), data, "byte for byte");
    }

    @Test
    void theExcludedConnectionIsSkippedOnItsNode() throws Exception {
        Rooms a = node("a");
        Rooms b = node("b");
        DetachedConnection sender = member(a, "lobby", "sender");
        DetachedConnection a1 = member(a, "lobby", "a1");
        DetachedConnection b1 = member(b, "lobby", "b1");
        settle(a, b);

        assertEquals(1, a.broadcast("lobby", Message.text("hi"), sender));
        Eventually.until(() -> a.stats().published() == 1, () -> "published: " + a.stats());
        fence("lobby", a1, b1);

        assertEquals(List.of("fence 1"), sender.texts());
        assertEquals(List.of("hi", "fence 1"), a1.texts());
        assertEquals(List.of("hi", "fence 1"), b1.texts());
    }

    @Test
    void anotherProcessMayExcludeAConnectionByItsId() throws Exception {
        Rooms a = node("a");
        Rooms b = node("b");
        DetachedConnection a1 = member(a, "lobby", "a1");
        DetachedConnection b1 = member(b, "lobby", "b1");
        DetachedConnection skipped = member(b, "lobby", "skipped");
        settle(a, b);
        String id = b.idOf(skipped);
        assertTrue(id.startsWith("b:"), id);
        assertEquals(id, b.idOf(skipped), "an id is kept");

        publishRaw("weft:room:lobby", "weft/1 m backend 1 t " + id + " lobby\nfrom the back end");
        fence("lobby", a1, b1, skipped);

        assertEquals(List.of("from the back end", "fence 1"), a1.texts());
        assertEquals(List.of("from the back end", "fence 1"), b1.texts());
        assertEquals(List.of("fence 1"), skipped.texts());
    }

    @Test
    void anIdIsForgottenWhenItsConnectionLeavesEveryRoom() throws Exception {
        Rooms b = node("b");
        DetachedConnection x = member(b, "lobby", "x");
        DetachedConnection y = member(b, "lobby", "y");
        settle(b);
        String id = b.idOf(x);
        b.leaveAll(x);
        b.join("lobby", x);
        assertFalse(id.equals(b.idOf(x)), "a new id after leaveAll");

        publishRaw("weft:room:lobby", "weft/1 m backend 1 t " + id + " lobby\nold id");
        fence("lobby", x, y);
        assertEquals(List.of("old id", "fence 1"), x.texts());
    }

    @Test
    void messagesArriveInEachPublishersOrderOnEveryNode() throws Exception {
        int perPublisher = 1_000;
        int threadsPerNode = 2;
        List<Rooms> nodes = List.of(node("a"), node("b"), node("c"));
        List<DetachedConnection> listeners = new ArrayList<>();
        for (Rooms n : nodes) {
            listeners.add(member(n, "order", "listener on " + n.node()));
        }
        settle(nodes.toArray(Rooms[]::new));

        ExecutorService pool = Executors.newFixedThreadPool(nodes.size() * threadsPerNode);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> publishers = new ArrayList<>();
            for (Rooms n : nodes) {
                for (int t = 0; t < threadsPerNode; t++) {
                    String publisher = n.node() + t;
                    publishers.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < perPublisher; i++) {
                            n.broadcast("order", Message.text(publisher + " " + i));
                        }
                        return null;
                    }));
                }
            }
            go.countDown();
            for (Future<?> f : publishers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        int total = nodes.size() * threadsPerNode * perPublisher;
        for (Rooms n : nodes) {
            Eventually.until(() -> n.stats().published() == (long) threadsPerNode * perPublisher, () -> n.stats().toString());
        }
        fence("order", listeners.toArray(DetachedConnection[]::new));

        for (DetachedConnection listener : listeners) {
            List<String> texts = listener.texts();
            assertEquals(total + 1, texts.size(), listener + " received every message once");
            Map<String, Integer> next = new HashMap<>();
            for (String text : texts.subList(0, total)) {
                String[] f = text.split(" ");
                int expected = next.getOrDefault(f[0], 0);
                assertEquals(expected, Integer.parseInt(f[1]), () -> listener + ": " + f[0] + " out of order");
                next.put(f[0], expected + 1);
            }
        }
        for (Rooms n : nodes) {
            RoomsStats s = n.stats();
            assertEquals(0, s.dropped() + s.missed() + s.malformed() + s.overflowed(), n.node() + ": " + s);
            assertEquals((long) (nodes.size() - 1) * threadsPerNode * perPublisher + 1, s.received(), n.node() + ": " + s);
        }
    }

    @Test
    void broadcastToAllReachesEveryConnectionTheServersServe() throws Exception {
        Rooms a = node("a");
        Rooms b = node("b");
        Set<DetachedConnection> onA = ConcurrentHashMap.newKeySet();
        Set<DetachedConnection> onB = ConcurrentHashMap.newKeySet();
        a.serve(Fanout.EACH, onA);
        b.serve(Fanout.EACH, onB);
        DetachedConnection sender = new DetachedConnection("sender");
        DetachedConnection a1 = new DetachedConnection("a1");
        DetachedConnection b1 = new DetachedConnection("b1");
        DetachedConnection b2 = member(b, "lobby", "b2 (in a room)");
        onA.addAll(List.of(sender, a1));
        onB.addAll(List.of(b1, b2));
        DetachedConnection watcher = new DetachedConnection("watcher, served by b apart");
        b.serve(Fanout.EACH, Set.of(watcher));
        settle(a, b);

        assertEquals(1, a.broadcastToAll(Message.text("to all"), sender));
        Eventually.until(() -> b1.count() == 1 && b2.count() == 1, () -> b1.received() + " " + b2.received());
        assertEquals(List.of("to all"), b1.texts());
        assertEquals(List.of("to all"), b2.texts());
        assertEquals(List.of("to all"), a1.texts());
        assertEquals(List.of(), sender.texts());

        // A server that stops serving is no longer reached.
        b.stopServing(onB);
        a.broadcastToAll(Message.text("again"), null);
        Eventually.until(() -> a.stats().published() == 2, () -> a.stats().toString());
        fence("weft:all", "*", watcher);
        assertEquals(List.of("to all", "again", "fence 1"), watcher.texts());
        assertEquals(List.of("to all"), b1.texts());
        assertEquals(List.of("to all"), b2.texts());
    }

    @Test
    void aRoomNamedStarIsARoomLikeAnyOther() throws Exception {
        Rooms a = node("a");
        Rooms b = node("b");
        Set<DetachedConnection> onB = ConcurrentHashMap.newKeySet();
        b.serve(Fanout.EACH, onB);
        DetachedConnection star = member(b, "*", "member of *");
        DetachedConnection bystander = new DetachedConnection("bystander");
        onB.addAll(List.of(star, bystander));
        settle(a, b);

        a.broadcast("*", Message.text("to the room *"));
        Eventually.until(() -> star.count() == 1, () -> star.received().toString());
        Eventually.until(() -> a.stats().published() == 1, () -> a.stats().toString());
        fence("*", star);
        assertEquals(List.of("to the room *", "fence 1"), star.texts());
        assertEquals(List.of(), bystander.texts(), "a broadcast to the room * is not a broadcast to all");
    }

    // --- membership and subscriptions

    @Test
    void aNodeIsSubscribedToARoomOnlyWhileItHasMembers() throws Exception {
        Rooms a = node("a");
        Rooms b = node("b");
        settle(a, b);
        assertEquals(BASE_CHANNELS, bus.channels());
        assertEquals(2, bus.subscribers("weft:presence"));

        DetachedConnection x = member(a, "lobby", "x");
        DetachedConnection y = member(a, "lobby", "y");
        member(b, "lobby", "z");
        settle(a, b);
        assertEquals(2, bus.subscribers("weft:room:lobby"));

        a.leave("lobby", x);
        settle(a);
        assertEquals(2, bus.subscribers("weft:room:lobby"), "a still has a member");
        a.leaveAll(y);
        settle(a);
        assertEquals(1, bus.subscribers("weft:room:lobby"));
        assertEquals(Set.of(), a.names());
    }

    @Test
    void joiningAndLeavingWhileMessagesFlowLeavesNoSubscriptionBehind() throws Exception {
        List<Rooms> nodes = List.of(node("a"), node("b"), node("c"));
        int rooms = 6;
        int membersPerNode = 3;
        int episodes = 2_000;
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size() * (membersPerNode + 1));
        try {
            List<Future<?>> churn = new ArrayList<>();
            List<Future<?>> broadcasters = new ArrayList<>();
            for (Rooms n : nodes) {
                broadcasters.add(pool.submit(() -> {
                    Random random = new Random(n.node().hashCode());
                    for (long i = 0; !stop.get(); i++) {
                        n.broadcast("room " + random.nextInt(rooms), Message.text(n.node() + " " + i));
                        if (i % 64 == 0) {
                            Thread.yield(); // a steady flow, not a flood of the outbound queue
                        }
                    }
                    return null;
                }));
                for (int m = 0; m < membersPerNode; m++) {
                    DetachedConnection member = new DetachedConnection(n.node() + " member " + m);
                    int seed = m;
                    churn.add(pool.submit(() -> {
                        Random random = new Random(seed * 31L + n.node().hashCode());
                        for (int e = 0; e < episodes; e++) {
                            String room = "room " + random.nextInt(rooms);
                            n.join(room, member);
                            if (random.nextInt(4) == 0) {
                                n.settled().toCompletableFuture().get(30, TimeUnit.SECONDS);
                            }
                            if (random.nextBoolean()) {
                                n.leave(room, member);
                            } else if (random.nextInt(3) == 0) {
                                n.leaveAll(member);
                            }
                        }
                        n.leaveAll(member);
                        return null;
                    }));
                }
            }
            for (Future<?> f : churn) {
                f.get(120, TimeUnit.SECONDS);
            }
            stop.set(true);
            for (Future<?> f : broadcasters) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        settle(nodes.toArray(Rooms[]::new));

        for (Rooms n : nodes) {
            assertEquals(Set.of(), n.names(), n.node() + " has no rooms left");
        }
        for (int r = 0; r < rooms; r++) {
            assertEquals(0, bus.subscribers("weft:room:room " + r), "room " + r);
        }
        assertEquals(BASE_CHANNELS, bus.channels());
    }

    @Test
    void emptyRoomNamesAreRefused() throws Exception {
        Rooms a = node("a");
        DetachedConnection x = new DetachedConnection("x");
        assertThrows(IllegalArgumentException.class, () -> a.join("", x));
        assertThrows(IllegalArgumentException.class, () -> a.broadcast("", Message.text("x")));
        assertThrows(IllegalArgumentException.class, () -> new Rooms().join("", x));
        assertEquals(RoomsStats.NONE, a.stats());
    }

    // --- member counts

    @Test
    void memberCountAddsTheCountsOfEveryNode() throws Exception {
        UnaryOperator<Rooms.Builder> often = b -> b.presenceInterval(Duration.ofMillis(50));
        Rooms a = node("a", often);
        Rooms b = node("b", often);
        Rooms c = node("c", often);
        member(a, "lobby", "a1");
        member(a, "lobby", "a2");
        DetachedConnection b1 = member(b, "lobby", "b1");
        member(b, "lobby", "b2");
        member(b, "lobby", "b3");
        member(c, "other", "c1");

        for (Rooms n : List.of(a, b, c)) {
            Eventually.until(() -> n.memberCount("lobby") == 5 && n.memberCount("other") == 1,
                    () -> n.node() + " counts " + n.memberCount("lobby") + " in lobby, " + n.memberCount("other") + " in other");
        }
        assertEquals(0, a.memberCount("nowhere"));

        b.leave("lobby", b1);
        Eventually.until(() -> a.memberCount("lobby") == 4 && c.memberCount("lobby") == 4,
                () -> "a: " + a.memberCount("lobby") + ", c: " + c.memberCount("lobby"));
        // b's own count is current; a's may lapse for a moment on a busy machine (its time to live is short here).
        Eventually.until(() -> b.memberCount("lobby") == 4, () -> "b: " + b.memberCount("lobby"));

        b.close(); // says it is leaving: the others stop counting it at once
        Eventually.until(() -> a.memberCount("lobby") == 2 && c.memberCount("lobby") == 2,
                () -> "a: " + a.memberCount("lobby") + ", c: " + c.memberCount("lobby"));
    }

    // --- bad input from the engine

    @Test
    void malformedEnvelopesAreDroppedAndCountedNeverDelivered() throws Exception {
        CountingMetrics metrics = new CountingMetrics();
        Rooms b = node("b", o -> o.metrics(metrics));
        DetachedConnection b1 = member(b, "lobby", "b1");
        settle(b);

        publishRaw("weft:room:lobby", "hello");
        publishRaw("weft:room:lobby", "weft/2 m x 1 t - lobby\nother version");
        publishRaw("weft:room:lobby", "weft/1 m x 1 t - other\nanother room's message on this room's channel");
        publishRaw("weft:room:lobby", "weft/1 p x 1 1000\n1 lobby\n");
        publishRaw("weft:presence", "weft/1 m x 1 t - lobby\na message on the presence channel");
        publishRaw("weft:all", "weft/1 m x 1 t - lobby\na room's message on the channel of all");
        publishRaw("weft:room:lobby", new byte[] {'w', 'e', 'f', 't', '/', '1', ' ', 'm', ' ', 'x', ' ', '2', ' ', 't', ' ', '-', ' ', 'l', 'o', 'b', 'b', 'y', '\n', (byte) 0xFF});
        fence("lobby", b1);

        assertEquals(List.of("fence 1"), b1.texts());
        assertEquals(7, b.stats().malformed(), b.stats().toString());
        assertEquals(7, metrics.arrivalDropped.get());
        assertEquals(1, b.stats().received(), "the fence alone");
    }

    @Test
    void aGapIsCountedAsMissedAndReported() throws Exception {
        CountingMetrics metrics = new CountingMetrics();
        Rooms b = node("b", o -> o.metrics(metrics));
        DetachedConnection b1 = member(b, "lobby", "b1");
        settle(b);

        for (int s : new int[] {1, 2, 5, 6, 1, 2}) {
            publishRaw("weft:room:lobby", "weft/1 m backend " + s + " t - lobby\n" + s);
        }
        publishRaw("weft:room:lobby", "weft/1 m other 9 t - lobby\nanother publisher, counted apart");
        fence("lobby", b1);

        assertEquals(List.of("1", "2", "5", "6", "1", "2", "another publisher, counted apart", "fence 1"), b1.texts());
        assertEquals(2, b.stats().missed(), b.stats().toString());
        assertEquals(2, metrics.missed.get());
        assertEquals(8, b.stats().received());
    }

    // --- a slow or failing engine

    @Test
    void aFullOutboundQueueDropsTheNewestWithoutBlocking() throws Exception {
        overflowWithAStuckBroker(Rooms.Overflow.DROP_NEWEST);
    }

    @Test
    void aFullOutboundQueueDropsTheOldestWithoutBlocking() throws Exception {
        overflowWithAStuckBroker(Rooms.Overflow.DROP_OLDEST);
    }

    private void overflowWithAStuckBroker(Rooms.Overflow overflow) throws Exception {
        CountingMetrics metrics = new CountingMetrics();
        StuckBroker stuck = new StuckBroker();
        Rooms a = Rooms.builder().broker(stuck).node("a").outboundQueue(1, overflow).inFlight(1).metrics(metrics).start();
        opened.add(a);
        DetachedConnection a1 = member(a, "lobby", "a1");
        settle(a);

        int messages = 1_000;
        for (int i = 0; i < messages; i++) {
            assertEquals(1, a.broadcast("lobby", Message.text(Integer.toString(i))));
        }
        // One publish unanswered, one waiting for it, one queued: the rest were dropped.
        assertTrue(a.stats().dropped() >= messages - 3, a.stats().toString());
        assertEquals(a.stats().dropped(), metrics.publishDropped.get());
        assertEquals(0, a.stats().published());
        assertEquals(messages, a1.count(), "the local members are not held up");
        Eventually.until(() -> stuck.published.size() == 1, () -> "published " + stuck.published.size());
        a.close();
        assertEquals(messages - 1, a.stats().dropped(), "all but the unanswered one, once closed");
    }

    @Test
    void whatIsPublishedWhileTheBusIsDownIsDroppedAndCounted() throws Exception {
        CountingMetrics metrics = new CountingMetrics();
        Rooms a = node("a", o -> o.outboundQueue(1, Rooms.Overflow.DROP_NEWEST).metrics(metrics));
        member(a, "lobby", "a1");
        settle(a);
        bus.outage(true);
        for (int i = 0; i < 100; i++) {
            a.broadcast("lobby", Message.text("lost " + i));
        }
        Eventually.until(() -> a.stats().dropped() == 100, () -> a.stats().toString());
        assertEquals(100, metrics.publishDropped.get());
        assertEquals(0, a.stats().published());
    }

    @Test
    void afterAnOutageTheLossIsCountedAndTrafficResumes() throws Exception {
        Rooms a = node("a");
        Rooms b = node("b");
        DetachedConnection b1 = member(b, "lobby", "b1");
        settle(a, b);
        a.broadcast("lobby", Message.text("before"));
        Eventually.until(() -> b1.count() == 1, () -> b1.received().toString());

        bus.outage(true);
        assertFalse(a.health().up());
        assertFalse(b.health().up());
        for (int i = 0; i < 10; i++) {
            a.broadcast("lobby", Message.text("during " + i));
        }
        Eventually.until(() -> a.stats().dropped() == 10, () -> a.stats().toString());
        DetachedConnection late = member(b, "late", "joined during the outage");
        CompletionStage<Void> settled = b.settled();
        assertFalse(settled.toCompletableFuture().isDone(), "the broker cannot take the subscription yet");

        bus.outage(false);
        settled.toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertTrue(a.health().up() && b.health().up());
        assertEquals(1, bus.subscribers("weft:room:late"));
        a.broadcast("lobby", Message.text("after"));
        a.broadcast("late", Message.text("to the late room"));
        Eventually.until(() -> b1.count() == 2 && late.count() == 1, () -> b1.received() + " " + late.received());
        assertEquals(List.of("before", "after"), b1.texts());
        assertEquals(List.of("to the late room"), late.texts());
        assertEquals(10, b.stats().missed(), "the gap shows where it was lost, too");
    }

    @Test
    void aBrokerDownAtStartIsAnErrorByDefault() {
        bus.outage(true);
        BrokerException e = assertThrows(BrokerException.class, () -> Rooms.builder().broker(bus.broker()).start());
        assertTrue(e.getMessage().contains("in-memory bus"), e.getMessage());
    }

    @Test
    void aNodeStartedWithoutItsBrokerJoinsTheClusterOnceItIsBack() throws Exception {
        Rooms a = node("a");
        member(a, "lobby", "a1");
        settle(a);
        bus.outage(true);
        Rooms b = node("b", o -> o.startWithoutBroker(true));
        assertFalse(b.health().up());
        DetachedConnection b1 = member(b, "lobby", "b1");
        assertEquals(1, b.broadcast("lobby", Message.text("local only")), "local rooms work meanwhile");
        Eventually.until(() -> b.stats().dropped() == 1, () -> b.stats().toString());
        CompletionStage<Void> settled = b.settled();
        assertFalse(settled.toCompletableFuture().isDone());

        bus.outage(false);
        settled.toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertTrue(b.health().up(), b.health().toString());
        assertEquals(2, bus.subscribers("weft:room:lobby"));
        a.broadcast("lobby", Message.text("from a"));
        Eventually.until(() -> b1.count() == 2, () -> b1.received().toString());
        assertEquals(List.of("local only", "from a"), b1.texts());
    }

    // --- channels

    @Test
    void inSingleModeOneChannelCarriesEveryRoom() throws Exception {
        UnaryOperator<Rooms.Builder> single = o -> o.channels(Rooms.ChannelMode.SINGLE);
        Rooms a = node("a", single);
        Rooms b = node("b", single);
        DetachedConnection a1 = member(a, "x", "a1");
        DetachedConnection b1 = member(b, "x", "b1");
        DetachedConnection b2 = member(b, "y", "b2");
        settle(a, b);
        assertEquals(Set.of("weft:presence", "weft:all", "weft:rooms"), bus.channels());
        assertEquals(2, bus.subscribers("weft:rooms"));

        a.broadcast("x", Message.text("to x"), a1);
        a.broadcast("y", Message.text("to y"));
        a.broadcast("z", Message.text("to z, which has no members"));
        Eventually.until(() -> a.stats().published() == 3, () -> a.stats().toString());
        fence("weft:rooms", "x", b1);
        assertEquals(List.of("to x", "fence 1"), b1.texts());
        assertEquals(List.of("to y"), b2.texts());
        Eventually.until(() -> a1.count() == 1, () -> a1.received().toString());
        assertEquals(List.of("fence 1"), a1.texts(), "the excluded sender");
        assertEquals(4, b.stats().received(), "three and the fence");
        assertEquals(0, b.stats().missed(), "one sequence for the one channel");

        b.leaveAll(b1);
        b.leaveAll(b2);
        settle(b);
        assertEquals(2, bus.subscribers("weft:rooms"), "the one channel stays subscribed");
    }

    @Test
    void theChannelPrefixNamesEveryChannel() throws Exception {
        Rooms a = node("a", o -> o.channelPrefix("app1/"));
        Rooms b = node("b", o -> o.channelPrefix("app2/"));
        member(a, "lobby", "a1");
        DetachedConnection b1 = member(b, "lobby", "b1");
        settle(a, b);
        assertEquals(Set.of("app1/presence", "app1/all", "app1/room:lobby", "app2/presence", "app2/all", "app2/room:lobby"),
                bus.channels());
        a.broadcast("lobby", Message.text("app1 only"));
        Eventually.until(() -> a.stats().published() == 1, () -> a.stats().toString());
        publishRaw("app2/room:lobby", "weft/1 m fence 0 t - lobby\nfence");
        Eventually.until(() -> b1.count() == 1, () -> b1.received().toString());
        assertEquals(List.of("fence"), b1.texts(), "nodes with different prefixes share nothing");
    }

    // --- without a broker, and after close

    @Test
    void roomsWithoutABrokerServeTheirNodeOnly() {
        Rooms rooms = new Rooms();
        DetachedConnection x = new DetachedConnection("x");
        assertTrue(rooms.join("lobby", x));
        assertFalse(rooms.join("lobby", x));
        assertEquals(1, rooms.broadcast("lobby", Message.text("hi")));
        assertEquals(1, rooms.memberCount("lobby"));
        assertEquals(RoomsStats.NONE, rooms.stats());
        assertTrue(rooms.health().up());
        assertTrue(rooms.settled().toCompletableFuture().isDone());
        assertThrows(IllegalStateException.class, () -> Rooms.builder().start());
        rooms.close();
    }

    @Test
    void closedRoomsStillServeTheirNodeAndSettleAtOnce() throws Exception {
        Rooms a = node("a");
        DetachedConnection a1 = member(a, "lobby", "a1");
        settle(a);
        a.close();
        a.close();
        assertEquals(Set.of(), bus.channels(), "a closed node is subscribed to nothing");
        assertEquals(1, a.broadcast("lobby", Message.text("local")));
        assertEquals(List.of("local"), a1.texts());
        a.join("other", a1);
        a.settled().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aClosedConnectionJoinsNothing() throws Exception {
        Rooms a = node("a");
        DetachedConnection x = new DetachedConnection("x");
        x.abort();
        assertFalse(a.join("lobby", x));
        settle(a);
        assertEquals(Set.of(), a.names());
        assertEquals(BASE_CHANNELS, bus.channels());
    }

    // --- helpers

    private Rooms node(String name) throws BrokerException {
        return node(name, UnaryOperator.identity());
    }

    private Rooms node(String name, UnaryOperator<Rooms.Builder> options) throws BrokerException {
        Rooms rooms = options.apply(Rooms.builder().broker(bus.broker()).node(name).retry(Duration.ofMillis(20))).start();
        opened.add(rooms);
        return rooms;
    }

    private static DetachedConnection member(Rooms rooms, String room, String name) {
        DetachedConnection c = new DetachedConnection(name);
        assertTrue(rooms.join(room, c));
        return c;
    }

    private static void settle(Rooms... nodes) throws Exception {
        for (Rooms n : nodes) {
            n.settled().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** Publishes {@code envelope} on the bus as a process that is not Weft would. */
    private void publishRaw(String channel, String envelope) throws Exception {
        publishRaw(channel, envelope.getBytes(StandardCharsets.UTF_8));
    }

    private void publishRaw(String channel, byte[] envelope) throws Exception {
        if (raw == null) {
            raw = bus.broker();
            raw.start((c, m) -> {
            });
            opened.add(raw);
        }
        raw.publish(channel, envelope).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /**
     * Publishes a marker to {@code room} from outside and waits until {@code members} have it: the
     * bus delivers a channel's messages in order, so by then they have what was published before.
     */
    private void fence(String room, DetachedConnection... members) throws Exception {
        fence("weft:room:" + room, room, members);
    }

    private void fence(String channel, String room, DetachedConnection... members) throws Exception {
        String text = "fence " + fences.incrementAndGet();
        publishRaw(channel, "weft/1 m fence 0 t - " + EnvelopeCodec.escape(room) + "\n" + text);
        for (DetachedConnection m : members) {
            Eventually.until(() -> m.texts().contains(text), () -> m + " has " + m.texts());
        }
    }

    /** Counts what the rooms report to a metrics listener. */
    private static final class CountingMetrics implements WebSocketMetrics {
        final AtomicLong missed = new AtomicLong();
        final AtomicLong publishDropped = new AtomicLong();
        final AtomicLong arrivalDropped = new AtomicLong();

        @Override
        public void brokerMissed(long messages) {
            missed.addAndGet(messages);
        }

        @Override
        public void brokerPublishDropped() {
            publishDropped.incrementAndGet();
        }

        @Override
        public void brokerArrivalDropped() {
            arrivalDropped.incrementAndGet();
        }
    }

    /** A broker that takes subscriptions and never answers a publish: an engine that hangs. */
    private static final class StuckBroker implements Broker {
        final List<byte[]> published = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void start(Listener listener) {
        }

        @Override
        public CompletionStage<Void> publish(String channel, byte[] message) {
            if (channel.startsWith("weft:room:")) {
                published.add(message);
            }
            return new CompletableFuture<>();
        }

        @Override
        public CompletionStage<Void> subscribe(String channel) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> unsubscribe(String channel) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public BrokerHealth health() {
            return BrokerHealth.up("stuck");
        }

        @Override
        public String describe() {
            return "a stuck broker";
        }

        @Override
        public void close() {
        }
    }
}
