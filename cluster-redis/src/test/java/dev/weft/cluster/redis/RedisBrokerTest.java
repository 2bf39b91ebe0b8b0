package dev.weft.cluster.redis;

import dev.weft.testing.RedisServer;
import dev.weft.cluster.Broker;
import dev.weft.cluster.BrokerException;
import dev.weft.cluster.BrokerFactory;
import dev.weft.cluster.BrokerHealth;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@link RedisBroker} against a private, real redis-server. */
class RedisBrokerTest extends RedisTestCase {

    private static final long WAIT_SECONDS = 20;


    @Test
    void twoNodesExchangeEveryByteValueExactly() throws Exception {
        RedisServer redis = server();
        Recording a = new Recording();
        Recording b = new Recording();
        RedisBroker nodeA = started(redis.uri(), a);
        RedisBroker nodeB = started(redis.uri(), b);
        byte[] everyByte = new byte[512];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }

        await(nodeB.subscribe("weft:room:bytes"));
        await(nodeA.publish("weft:room:bytes", everyByte));

        Arrival arrival = b.next();
        assertEquals("weft:room:bytes", arrival.channel());
        assertArrayEquals(everyByte, arrival.message());
        assertTrue(a.messages.isEmpty(), "node a did not subscribe");
        assertTrue(nodeA.health().up(), nodeA.health().toString());
    }

    @Test
    void oneThousandMessagesFromEachOfTwoPublishersArriveInTheirOrder() throws Exception {
        RedisServer redis = server();
        Recording receiving = new Recording();
        RedisBroker subscriber = started(redis.uri(), receiving);
        RedisBroker first = started(redis.uri(), new Recording());
        RedisBroker second = started(redis.uri(), new Recording());
        await(subscriber.subscribe("weft:room:order"));

        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            sent.add(first.publish("weft:room:order", ("1:" + i).getBytes(StandardCharsets.US_ASCII)).toCompletableFuture());
            sent.add(second.publish("weft:room:order", ("2:" + i).getBytes(StandardCharsets.US_ASCII)).toCompletableFuture());
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);

        int[] next = new int[3];
        for (int n = 0; n < 2000; n++) {
            String[] message = new String(receiving.next().message(), StandardCharsets.US_ASCII).split(":");
            int publisher = Integer.parseInt(message[0]);
            assertEquals(next[publisher]++, Integer.parseInt(message[1]), "from publisher " + publisher);
        }
        assertEquals(1000, next[1]);
        assertEquals(1000, next[2]);
    }

    @Test
    void unsubscribingAndClosingLeaveNoSubscriptionInRedis() throws Exception {
        RedisServer redis = server();
        Probe probe = probe(redis);
        RedisBroker broker = started(redis.uri(), new Recording());
        await(broker.subscribe("weft:room:left"));
        await(broker.subscribe("weft:room:kept"));
        await(broker.subscribe("weft:room:kept")); // idempotent
        assertEquals(1, probe.subscribers("weft:room:left"));
        assertEquals(1, probe.subscribers("weft:room:kept"));

        await(broker.unsubscribe("weft:room:left"));
        assertEquals(0, probe.subscribers("weft:room:left"), "confirmed by Redis before the future completed");
        await(broker.unsubscribe("weft:room:left")); // idempotent

        broker.close();
        broker.close(); // idempotent
        probe.awaitSubscribers("weft:room:kept", 0);
        assertFalse(broker.health().up());
        assertInstanceOf(BrokerException.class, failure(broker.publish("weft:room:kept", new byte[1])));
        assertThrows(IllegalStateException.class, () -> broker.start(new Recording()));
    }

    @Test
    void closeStopsTheThreadsTheBrokerStarted() throws Exception {
        RedisServer redis = server();
        RedisBroker broker = started(redis.uri(), new Recording());
        assertTrue(lettuceThreads() > 0, "the broker runs on Lettuce's threads");

        broker.close();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (lettuceThreads() > 0) {
            if (System.nanoTime() - deadline > 0) {
                fail("Lettuce threads still alive after close: " + lettuceThreads());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // a poll interval
        }
    }

    @Test
    void aRedisDownAtStartIsAnErrorNamingItWithoutThePasswordAndStartMayBeTriedAgain() throws Exception {
        String password = "s3cret-Pa55word";
        int port = RedisServer.freePort();
        URI uri = URI.create("redis://:" + password + "@127.0.0.1:" + port + "/0");
        RedisBroker broker = RedisBroker.create(uri);
        closing.add(broker);
        Recording listener = new Recording();

        BrokerException e = assertThrows(BrokerException.class, () -> broker.start(listener));
        assertTrue(e.getMessage().contains("redis://127.0.0.1:" + port), e.getMessage());
        assertFalse(stackTrace(e).contains(password), stackTrace(e));
        assertEquals("redis://127.0.0.1:" + port + "/0", broker.describe());
        assertFalse(broker.health().up());
        assertInstanceOf(BrokerException.class, failure(broker.publish("weft:presence", new byte[1])));

        RedisServer redis = RedisServer.startOn(port, password, directory);
        closing.add(redis);
        broker.start(listener);

        assertTrue(broker.health().up(), broker.health().toString());
        await(broker.subscribe("weft:room:late"));
        await(broker.publish("weft:room:late", new byte[] {7}));
        assertArrayEquals(new byte[] {7}, listener.next().message());
    }

    @Test
    void aRestartedRedisGetsTheWantedSubscriptionsBackAndNoOther() throws Exception {
        RedisServer redis = server();
        Probe probe = probe(redis);
        Recording a = new Recording();
        Recording b = new Recording();
        RedisBroker publisher = started(redis.uri(), a);
        RedisBroker subscriber = started(redis.uri(), b);
        await(subscriber.subscribe("weft:room:kept"));
        await(subscriber.subscribe("weft:room:dropped"));
        await(publisher.publish("weft:room:kept", bytes("before")));
        assertEquals("before", text(b.next()));

        redis.kill();
        assertFalse(a.health().up(), "publisher told it is down");
        assertFalse(b.health().up(), "subscriber told it is down");
        assertFalse(publisher.health().up());
        // Fails, and at once: nothing is kept to be sent later.
        assertInstanceOf(BrokerException.class, failure(publisher.publish("weft:room:kept", bytes("lost"))));
        await(subscriber.unsubscribe("weft:room:dropped")); // while down: done when Redis is back
        failure(subscriber.subscribe("weft:room:late")); // while down: fails now, done when Redis is back

        redis.restart();
        assertTrue(a.health().up(), "publisher told it is up");
        assertTrue(b.health().up(), "subscriber told it is up");
        probe.awaitSubscribers("weft:room:kept", 1);
        probe.awaitSubscribers("weft:room:late", 1);
        probe.awaitSubscribers("weft:room:dropped", 0);

        await(publisher.publish("weft:room:dropped", bytes("not wanted")));
        await(publisher.publish("weft:room:late", bytes("late")));
        await(publisher.publish("weft:room:kept", bytes("after")));
        assertEquals("late", text(b.next()));
        assertEquals("after", text(b.next()), "the subscription came back by itself");
        assertEquals(0, probe.subscribers("weft:room:dropped"));
        assertTrue(b.messages.isEmpty(), "nothing else arrived: " + b.messages);
    }

    @Test
    void theFactoryIsFoundByScheme() {
        Broker plain = BrokerFactory.forUri(URI.create("redis://user:pw@127.0.0.1:6390/2"));
        Broker tls = BrokerFactory.forUri(URI.create("rediss://127.0.0.1:6391"));
        closing.add(plain);
        closing.add(tls);

        assertInstanceOf(RedisBroker.class, plain);
        assertEquals("redis://127.0.0.1:6390/2", plain.describe());
        assertEquals("rediss://127.0.0.1:6391/0", tls.describe());
        assertFalse(new RedisBrokerFactory().accepts(URI.create("nats://127.0.0.1:4222")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisBroker.create(URI.create("redis://user:pw@127.0.0.1:6390/notadb")));
        assertFalse(e.getMessage().contains("pw"), e.getMessage());
    }

    // --- helpers

    private RedisServer server() throws Exception {
        RedisServer redis = RedisServer.start(directory);
        closing.add(redis);
        return redis;
    }

    private Probe probe(RedisServer redis) {
        Probe probe = new Probe(redis.uri());
        closing.add(probe);
        return probe;
    }

    private RedisBroker started(URI uri, Recording listener) throws BrokerException, InterruptedException {
        RedisBroker broker = RedisBroker.create(uri);
        closing.add(broker);
        broker.start(listener);
        assertTrue(listener.health().up(), "told it is up once started");
        return broker;
    }

    private static void await(java.util.concurrent.CompletionStage<Void> stage) throws Exception {
        stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Why {@code stage} failed; fails the test if it completes normally or not within 20 s. */
    private static Throwable failure(java.util.concurrent.CompletionStage<Void> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        return fail("completed normally");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Arrival arrival) {
        return new String(arrival.message(), StandardCharsets.UTF_8);
    }

    private static String stackTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static long lettuceThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().toLowerCase(java.util.Locale.ROOT).startsWith("lettuce"))
                .count();
    }

    record Arrival(String channel, byte[] message) {
        @Override
        public String toString() {
            return channel + ": " + ByteBuffer.wrap(message);
        }
    }

    /** A listener that queues what it is told. */
    static final class Recording implements Broker.Listener {
        final BlockingQueue<Arrival> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<BrokerHealth> healths = new LinkedBlockingQueue<>();

        @Override
        public void onMessage(String channel, byte[] message) {
            messages.add(new Arrival(channel, message));
        }

        @Override
        public void onHealth(BrokerHealth health) {
            healths.add(health);
        }

        Arrival next() throws InterruptedException {
            Arrival a = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (a == null) {
                fail("no message in " + WAIT_SECONDS + " s");
            }
            return a;
        }

        /** The next change of health it is told of. */
        BrokerHealth health() throws InterruptedException {
            BrokerHealth h = healths.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (h == null) {
                fail("told of no change of health in " + WAIT_SECONDS + " s");
            }
            return h;
        }
    }
}
