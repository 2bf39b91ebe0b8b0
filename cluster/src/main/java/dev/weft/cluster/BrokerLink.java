package dev.weft.cluster;

import dev.weft.api.Message;
import dev.weft.api.metrics.WebSocketMetrics;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * A node's rooms joined to the others through a {@link Broker}. Two threads of its own keep the
 * broker's pace off the callers' threads. This one's publishing thread publishes from a bounded
 * queue, keeps the node's {@link Subscriptions} in step with the rooms, and publishes the member
 * counts; the {@link Arrivals} thread delivers what comes in. Nothing a caller does waits for the
 * broker.
 */
final class BrokerLink implements Broker.Listener {

    /** What the rooms do for the link. */
    interface Local {
        boolean hasMembers(String room);

        Set<String> rooms();

        Map<String, Integer> counts();

        void deliver(String room, Message message, String except);

        void deliverToAll(Message message, String except);
    }

    /** The room field of a broadcast to every connection, on {@link Channels#all()} only. */
    static final String EVERYONE = "*";

    record Settings(Broker broker, String node, Channels channels, int outboundQueue, Rooms.Overflow overflow,
                    int inboundQueue, int inFlight, Duration presenceInterval, Duration retry,
                    boolean startWithoutBroker, WebSocketMetrics metrics) {
    }

    private record Outgoing(String channel, String room, Message message, String except) {
    }

    private static final System.Logger LOG = QuietLog.logger();
    private static final long TICK = TimeUnit.MILLISECONDS.toNanos(100);

    private final Settings settings;
    private final Broker broker;
    private final Channels channels;
    private final Local local;
    private final BlockingQueue<Outgoing> outbound;
    private final Semaphore inFlight;
    private final Sequences sequences = new Sequences();
    private final ClusterCounts counts = new ClusterCounts();
    private final Subscriptions subscriptions;
    private final Arrivals arrivals;
    private final LongAdder published = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final QuietLog dropLog = new QuietLog(WARNING, TimeUnit.SECONDS.toNanos(10));
    private final Thread publisher;
    private volatile boolean started;
    private volatile boolean closed;
    private long nextStartNanos = System.nanoTime();
    private long nextPresenceNanos = System.nanoTime();

    BrokerLink(Settings settings, Local local) {
        this.settings = settings;
        this.broker = settings.broker();
        this.channels = settings.channels();
        this.local = local;
        this.outbound = new ArrayBlockingQueue<>(settings.outboundQueue());
        this.inFlight = new Semaphore(settings.inFlight());
        this.publisher = new Thread(this::publishing, "weft-rooms-out-" + settings.node());
        publisher.setDaemon(true);
        this.subscriptions = new Subscriptions(broker, this::wanted, this::subscribedAnew,
                sequences::forget, () -> LockSupport.unpark(publisher), settings.retry());
        this.arrivals = new Arrivals(settings.node(), channels, local, sequences, counts, subscriptions::has,
                settings.metrics(), settings.inboundQueue());
    }

    /**
     * Starts the broker and the link's threads.
     *
     * @throws BrokerException if the broker cannot start and the settings do not allow a start
     *     without it
     */
    void start() throws BrokerException {
        try {
            startBroker();
        } catch (BrokerException e) {
            if (!settings.startWithoutBroker()) {
                broker.close();
                throw e;
            }
            LOG.log(WARNING, () -> "rooms of node " + settings.node() + " serve this node only for now: "
                    + e.getMessage() + "; trying again every " + settings.retry().toSeconds() + " s");
            nextStartNanos = System.nanoTime() + settings.retry().toNanos();
        }
        publisher.start();
        arrivals.start();
    }

    private void startBroker() throws BrokerException {
        broker.start(this);
        started = true;
        subscriptions.changed(channels.presence());
        subscriptions.changed(channels.all());
        if (!channels.perRoom()) {
            subscriptions.changed(channels.of(""));
        }
        for (String room : local.rooms()) {
            subscriptions.changed(channels.of(room));
        }
        LOG.log(INFO, () -> "rooms of node " + settings.node() + " reach the cluster through " + broker.describe());
    }

    /** Queues {@code message} for {@code room}'s members on the other nodes; drops it (and counts) if the queue is full. */
    void publish(String room, Message message, String except) {
        queue(new Outgoing(channels.of(room), room, message, except));
    }

    /** Queues {@code message} for every connection of the other nodes, likewise. */
    void publishToAll(Message message, String except) {
        // A room may be named "*" too: it is the channel, not the room field, that says "everyone".
        queue(new Outgoing(channels.all(), EVERYONE, message, except));
    }

    private void queue(Outgoing message) {
        if (closed) {
            return;
        }
        Outgoing o = new Outgoing(message.channel(), message.room(), stable(message.message()), message.except());
        boolean queued = outbound.offer(o);
        while (!queued && settings.overflow() == Rooms.Overflow.DROP_OLDEST) {
            if (outbound.poll() != null) {
                drop("its outbound queue is full (" + settings.outboundQueue() + " messages)");
            }
            queued = outbound.offer(o);
        }
        if (!queued) {
            drop("its outbound queue is full (" + settings.outboundQueue() + " messages)");
        }
        LockSupport.unpark(publisher);
    }

    /** A room gained its first local member or lost its last. */
    void roomChanged(String room) {
        if (channels.perRoom()) {
            subscriptions.changed(channels.of(room));
        }
    }

    /** Completes once every membership change made before the call has reached the broker. */
    CompletionStage<Void> settled() {
        return subscriptions.settled();
    }

    int remoteMembers(String room) {
        return counts.members(room, System.nanoTime());
    }

    RoomsStats stats() {
        return new RoomsStats(published.sum(), dropped.sum(), arrivals.received(), arrivals.missed(),
                arrivals.malformed(), arrivals.overflowed());
    }

    BrokerHealth health() {
        return started ? broker.health() : BrokerHealth.down("not started: " + broker.describe() + " unreachable");
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(publisher);
        arrivals.stop();
        try {
            publisher.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        broker.close();
    }

    @Override
    public void onMessage(String channel, byte[] message) {
        arrivals.arrived(channel, message);
    }

    @Override
    public void onHealth(BrokerHealth health) {
        LOG.log(health.up() ? INFO : WARNING, () -> "broker " + broker.describe() + " is " + health);
        if (health.up()) {
            subscriptions.retrySoon(); // what failed while it was down
        }
    }

    /** Each needs the other: the subscriptions reach the arrivals through here. */
    private void subscribedAnew(String channel) {
        arrivals.subscribedAnew(channel);
    }

    private boolean wanted(String channel) {
        if (closed) {
            return false;
        }
        String room = channels.roomOf(channel);
        return room == null || local.hasMembers(room); // the presence, all and single channels always
    }

    // --- the publishing thread

    private void publishing() {
        while (!closed) {
            long now = System.nanoTime();
            if (!started && now - nextStartNanos >= 0) {
                retryStart(now);
            }
            if (started) {
                subscriptions.reconcile(now);
                Outgoing o;
                for (int n = 0; n < 1024 && !closed && (o = outbound.poll()) != null; n++) {
                    send(o);
                }
                if (now - nextPresenceNanos >= 0) {
                    publishPresence(local.counts(), settings.presenceInterval().multipliedBy(3));
                    nextPresenceNanos = now + settings.presenceInterval().toNanos();
                }
            } else {
                while (outbound.poll() != null) {
                    drop("the broker " + broker.describe() + " has not started");
                }
            }
            if (outbound.isEmpty() && !closed) {
                LockSupport.parkNanos(this, TICK);
            }
        }
        if (started) {
            publishPresence(Map.of(), Duration.ofMillis(1)); // gone: others stop counting this node at once
        }
        while (outbound.poll() != null) {
            drop("the rooms closed");
        }
        subscriptions.finish();
    }

    private void retryStart(long now) {
        try {
            startBroker();
        } catch (BrokerException | RuntimeException e) {
            nextStartNanos = now + settings.retry().toNanos();
        }
    }

    private void send(Outgoing o) {
        String channel = o.channel();
        byte[] bytes = new Envelope.Publication(settings.node(), sequences.next(channel), o.room(), o.except(),
                o.message()).encode();
        try {
            while (!inFlight.tryAcquire(TICK, TimeUnit.NANOSECONDS)) {
                if (closed) {
                    drop("the rooms closed");
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Subscriptions.call(() -> broker.publish(channel, bytes)).whenComplete((v, e) -> {
            inFlight.release();
            if (e == null) {
                published.increment();
            } else {
                drop("the broker " + broker.describe() + " failed to publish: " + e.getMessage());
            }
        });
    }

    private void publishPresence(Map<String, Integer> members, Duration ttl) {
        String channel = channels.presence();
        byte[] bytes = new Envelope.Presence(settings.node(), sequences.next(channel), ttl, members).encode();
        Subscriptions.call(() -> broker.publish(channel, bytes)); // lost counts are only late counts: not counted
    }

    private void drop(String why) {
        dropped.increment();
        settings.metrics().brokerPublishDropped();
        dropLog.log(() -> "rooms of node " + settings.node() + " dropped a message for other nodes: " + why);
    }

    /** Binary messages are copied when queued, so the caller may reuse its buffer once broadcast returns. */
    private static Message stable(Message message) {
        if (message instanceof Message.Binary b) {
            ByteBuffer copy = ByteBuffer.allocate(b.data().remaining()).put(b.data().duplicate()).flip();
            return Message.binary(copy);
        }
        return message;
    }
}
