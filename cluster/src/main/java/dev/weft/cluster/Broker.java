package dev.weft.cluster;

import java.util.concurrent.CompletionStage;

/**
 * A pub/sub engine that carries room messages between nodes: the SPI a binding implements (Redis
 * in {@code weft-cluster-redis}, {@link InMemoryBroker} for nodes in one JVM). {@link Rooms} is its
 * only caller: it starts the broker, subscribes the node to a room's channel while the room has
 * local members, publishes envelopes, and hands what arrives to its members.
 *
 * <p>Delivery is at most once: a broker loses what is published while it is down, and says so
 * through {@link #health()} and {@link Listener#onHealth}; it never buffers without bound to make up
 * for it. Messages one node publishes on one channel must arrive at each subscriber in the order
 * published (Redis Pub/Sub does, over one connection).
 *
 * <p>No method may block the calling thread on the network: {@code Rooms} calls them from its own
 * threads, but a slow engine must show as late futures, not as stuck callers. Thread-safe.
 */
public interface Broker extends AutoCloseable {

    /**
     * Connects, and from then on hands each message that arrives on a subscribed channel to
     * {@code listener}. After a failure it may be called again (a node that started without its
     * engine retries); after {@link #close()} it may not.
     *
     * @throws BrokerException if the engine cannot be reached; the message names it (its URI
     *     without credentials)
     */
    void start(Listener listener) throws BrokerException;

    /**
     * Publishes {@code message} on {@code channel}. Completes when the engine has taken it, and
     * fails (with no retry) when it cannot: down, refusing, or closed.
     *
     * @param message an encoded {@link Envelope}; not changed, and not kept after completion
     */
    CompletionStage<Void> publish(String channel, byte[] message);

    /**
     * Subscribes this node to {@code channel}. Idempotent. A subscription outlives a lost connection
     * to the engine: the broker subscribes again when it is back, without being asked.
     */
    CompletionStage<Void> subscribe(String channel);

    /** Ends a subscription made by {@link #subscribe}. Idempotent; kept across reconnects likewise. */
    CompletionStage<Void> unsubscribe(String channel);

    /** Whether the engine is reachable now, and since when. */
    BrokerHealth health();

    /** The engine, for logs and errors: its URI without credentials. */
    String describe();

    /** Disconnects and stops calling the listener. Idempotent. */
    @Override
    void close();

    /** Where a broker delivers. Called on the broker's threads, one message at a time, in order. */
    interface Listener {

        /**
         * A message arrived on a subscribed channel. Must return quickly: {@code Rooms} queues it
         * for its own delivery thread.
         *
         * @param message the bytes as published; the listener may keep them
         */
        void onMessage(String channel, byte[] message);

        /** The engine became reachable or unreachable. */
        default void onHealth(BrokerHealth health) {
        }
    }
}
