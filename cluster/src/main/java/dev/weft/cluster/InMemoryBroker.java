package dev.weft.cluster;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A broker for nodes in one JVM: every broker made by one {@link Bus} reaches the others, as
 * Redis Pub/Sub would reach other processes. For tests, and for applications that run several
 * servers in one process. Each broker delivers on a thread of its own from a bounded queue; a
 * message that finds the queue full is dropped (at most once, as over any engine). A bus can be
 * taken down and brought back ({@link Bus#outage}) to try what a node does when its engine fails.
 */
public final class InMemoryBroker implements Broker {

    /** Messages a broker holds for its listener before it drops what arrives. */
    public static final int DEFAULT_QUEUE = 10_000;

    /** Brokers that reach one another. Thread-safe. */
    public static final class Bus {
        private final Map<String, Set<InMemoryBroker>> channels = new ConcurrentHashMap<>();
        private final Set<InMemoryBroker> brokers = ConcurrentHashMap.newKeySet();
        private volatile boolean down;

        /** A new bus, up, with no brokers. */
        public Bus() {
        }

        /** A broker on this bus, with a queue of {@link #DEFAULT_QUEUE} messages. */
        public InMemoryBroker broker() {
            return broker(DEFAULT_QUEUE);
        }

        /** A broker on this bus that queues at most {@code queue} messages for its listener. */
        public InMemoryBroker broker(int queue) {
            return new InMemoryBroker(this, queue);
        }

        /**
         * Takes the bus down (true) or brings it back (false), as an engine that fails and
         * restarts: while down, publishing and subscribing fail and nothing is delivered; every
         * started broker reports the change to its listener. Subscriptions survive, as a broker's
         * must.
         */
        public void outage(boolean down) {
            this.down = down;
            BrokerHealth health = down ? BrokerHealth.down("the bus is down") : BrokerHealth.up("in memory");
            for (InMemoryBroker b : brokers) {
                b.health(health);
            }
        }

        /** How many brokers are subscribed to {@code channel}, as Redis's {@code PUBSUB NUMSUB} says. */
        public int subscribers(String channel) {
            Set<InMemoryBroker> s = channels.get(channel);
            return s == null ? 0 : s.size();
        }

        /** The channels with at least one subscriber. */
        public Set<String> channels() {
            return Set.copyOf(channels.keySet());
        }
    }

    private final Bus bus;
    private final ThreadPoolExecutor delivery;
    private volatile Listener listener;
    private volatile BrokerHealth health = BrokerHealth.down("not started");
    private volatile boolean closed;

    private InMemoryBroker(Bus bus, int queue) {
        this.bus = bus;
        this.delivery = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "weft-in-memory-broker");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void start(Listener listener) throws BrokerException {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (bus.down) {
            throw new BrokerException("the in-memory bus is down");
        }
        this.listener = Objects.requireNonNull(listener, "listener");
        bus.brokers.add(this);
        health(BrokerHealth.up("in memory"));
    }

    @Override
    public CompletionStage<Void> publish(String channel, byte[] message) {
        if (unavailable()) {
            return CompletableFuture.failedFuture(new BrokerException("in-memory bus down or broker closed"));
        }
        for (InMemoryBroker subscriber : bus.channels.getOrDefault(channel, Set.of())) {
            subscriber.deliver(channel, message);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        if (unavailable()) {
            return CompletableFuture.failedFuture(new BrokerException("in-memory bus down or broker closed"));
        }
        bus.channels.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet()).add(this);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        bus.channels.computeIfPresent(channel, (c, subscribers) -> {
            subscribers.remove(this);
            return subscribers.isEmpty() ? null : subscribers;
        });
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public BrokerHealth health() {
        return health;
    }

    @Override
    public String describe() {
        return "in-memory bus";
    }

    @Override
    public void close() {
        closed = true;
        bus.brokers.remove(this);
        for (String channel : bus.channels()) {
            unsubscribe(channel);
        }
        delivery.shutdownNow();
    }

    private boolean unavailable() {
        return bus.down || closed || listener == null;
    }

    private void health(BrokerHealth health) {
        this.health = health;
        Listener l = listener;
        if (l != null && !closed) {
            l.onHealth(health);
        }
    }

    private void deliver(String channel, byte[] message) {
        Listener l = listener;
        if (l == null || closed) {
            return;
        }
        try {
            delivery.execute(() -> l.onMessage(channel, message));
        } catch (RejectedExecutionException e) {
            // Full (or closed): dropped, as an engine drops for a slow subscriber.
        }
    }
}
