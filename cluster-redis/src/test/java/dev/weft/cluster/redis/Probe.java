package dev.weft.cluster.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Asks Redis what it knows, through a plain Lettuce connection of its own (which reconnects after a
 * restart by itself): how many clients are subscribed to a channel, and which channels have any.
 * Publishes too, as a back end that is not Weft would.
 */
final class Probe implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    Probe(URI redis) {
        client = RedisClient.create(redis.toString());
        connection = client.connect();
    }

    /** {@code PUBSUB NUMSUB channel}. */
    long subscribers(String channel) {
        return connection.sync().pubsubNumsub(channel).getOrDefault(channel, 0L);
    }

    /** {@code PUBSUB CHANNELS pattern}: the channels matching {@code pattern} that have a subscriber. */
    List<String> channels(String pattern) {
        return connection.sync().pubsubChannels(pattern);
    }

    /** {@code PUBLISH channel message}; returns how many subscribers Redis handed it to. */
    long publish(String channel, String message) {
        return connection.sync().publish(channel, message);
    }

    /** Waits until {@code channel} has {@code expected} subscribers; fails with the last count after 20 s. */
    void awaitSubscribers(String channel, long expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long now;
        while ((now = subscribers(channel)) != expected) {
            if (System.nanoTime() - deadline > 0) {
                fail(channel + " has " + now + " subscribers, not " + expected);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // a poll interval
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
