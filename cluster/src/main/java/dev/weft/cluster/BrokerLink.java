package dev.weft.cluster;

import dev.weft.api.Message;
import dev.weft.api.metrics.WebSocketMetrics;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * A node's rooms joined to the others through a {@link Broker}. Two threads of its own keep the
 * broker's pace off the callers' threads: the outbound one publishes from a bounded queue, keeps the
 * node subscribed to exactly the channels of the rooms that have local members, and publishes the
 * member counts; the inbound one reads what arrives, counts gaps and hands messages to the local
 * members. Nothing a caller does waits for the broker.
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

    /** A message, or (bytes null) the start of a new subscription to the channel. */
    private record Arrival(String channel, byte[] bytes) {
    }

    private static final System.Logger LOG = QuietLog.logger();
    private static final long TICK = TimeUnit.MILLISECONDS.toNanos(100);

    private final Settings settings;
    private final Broker broker;
    private final Channels channels;
    private final Local local;
    private final BlockingQueue<Outgoing> outbound;
    private final BlockingQueue<Arrival> inbound;
    private final Semaphore inFlight;
    private final Sequences sequences = new Sequences();
    private final ClusterCounts counts = new ClusterCounts();
    // Channels whose subscription may not match the rooms: checked by the outbound thread.
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final AtomicInteger subscriptionsInFlight = new AtomicInteger();
    private final List<CompletableFuture<Void>> settling = new ArrayList<>();
    private boolean finished; // guarded by settling: the outbound thread has ended
    private final LongAdder published = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder missed = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder overflowed = new LongAdder();
    private final QuietLog gapLog = new QuietLog(INFO, TimeUnit.SECONDS.toNanos(10));
    private final QuietLog malformedLog = new QuietLog(INFO, TimeUnit.SECONDS.toNanos(10));
    private final QuietLog dropLog = new QuietLog(WARNING, TimeUnit.SECONDS.toNanos(10));
    private final Thread publisher;
    private final Thread deliverer;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile boolean retryNow;
    private long nextRetryNanos = System.nanoTime();
    private long nextPresenceNanos = System.nanoTime();

    BrokerLink(Settings settings, Local local) {
        this.settings = settings;
        this.broker = settings.broker();
        this.channels = settings.channels();
        this.local = local;
        this.outbound = new ArrayBlockingQueue<>(settings.outboundQueue());
        this.inbound = new ArrayBlockingQueue<>(settings.inboundQueue());
        this.inFlight = new Semaphore(settings.inFlight());
        this.publisher = new Thread(this::publishing, "weft-rooms-out-" + settings.node());
        this.deliverer = new Thread(this::delivering, "weft-rooms-in-" + settings.node());
        publisher.setDaemon(true);
        deliverer.setDaemon(true);
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
            nextRetryNanos = System.nanoTime() + settings.retry().toNanos();
        }
        publisher.start();
        deliverer.start();
    }

    private void startBroker() throws BrokerException {
        broker.start(this);
        started = true;
        dirty.add(channels.presence());
        dirty.add(channels.all());
        if (!channels.perRoom()) {
            dirty.add(channels.of(""));
        }
        for (String room : local.rooms()) {
            dirty.add(channels.of(room));
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
            dirty.add(channels.of(room));
            LockSupport.unpark(publisher);
        }
    }

    /** Completes once every membership change made before the call has reached the broker. */
    CompletionStage<Void> settled() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (settling) {
            if (finished) {
                return CompletableFuture.completedFuture(null); // closed: nothing more will reach the broker
            }
            settling.add(done);
        }
        LockSupport.unpark(publisher);
        return done;
    }

    int remoteMembers(String room) {
        return counts.members(room, System.nanoTime());
    }

    RoomsStats stats() {
        return new RoomsStats(published.sum(), dropped.sum(), received.sum(), missed.sum(), malformed.sum(),
                overflowed.sum());
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
        deliverer.interrupt();
        try {
            publisher.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        broker.close();
    }

    @Override
    public void onMessage(String channel, byte[] message) {
        if (!inbound.offer(new Arrival(channel, message))) {
            overflowed.increment();
            settings.metrics().brokerArrivalDropped();
            dropLog.log(() -> "rooms of node " + settings.node() + " dropped a message from the broker: "
                    + "the delivery queue is full (" + settings.inboundQueue() + " messages)");
        }
    }

    @Override
    public void onHealth(BrokerHealth health) {
        LOG.log(health.up() ? INFO : WARNING, () -> "broker " + broker.describe() + " is " + health);
        if (health.up()) {
            retryNow = true; // what failed while it was down, now
            LockSupport.unpark(publisher);
        }
    }

    // --- the outbound thread

    private void publishing() {
        while (!closed) {
            long now = System.nanoTime();
            if (!started && now - nextRetryNanos >= 0) {
                retryStart(now);
            }
            if (started) {
                reconcile(now);
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
        List<CompletableFuture<Void>> waiting;
        synchronized (settling) {
            finished = true;
            waiting = List.copyOf(settling);
            settling.clear();
        }
        waiting.forEach(f -> f.complete(null));
    }

    private void retryStart(long now) {
        try {
            startBroker();
        } catch (BrokerException | RuntimeException e) {
            nextRetryNanos = now + settings.retry().toNanos();
        }
    }

    /** Subscribes to the channels of rooms that have members and unsubscribes from the others. */
    private void reconcile(long now) {
        if (!failed.isEmpty() && (retryNow || now - nextRetryNanos >= 0)) {
            retryNow = false;
            dirty.addAll(failed);
            failed.clear();
            nextRetryNanos = now + settings.retry().toNanos();
        }
        for (String channel : dirty) {
            dirty.remove(channel);
            boolean wanted = wanted(channel);
            if (wanted && subscribed.add(channel)) {
                track(channel, true, call(() -> broker.subscribe(channel)));
            } else if (!wanted && subscribed.remove(channel)) {
                sequences.forget(channel);
                track(channel, false, call(() -> broker.unsubscribe(channel)));
            }
        }
        // Who waits is read before what is pending: a change made before a settled() call is then
        // either still pending here, or was handled above.
        List<CompletableFuture<Void>> waiting;
        synchronized (settling) {
            waiting = List.copyOf(settling);
        }
        if (!waiting.isEmpty() && dirty.isEmpty() && failed.isEmpty() && subscriptionsInFlight.get() == 0) {
            synchronized (settling) {
                settling.removeAll(waiting);
            }
            waiting.forEach(f -> f.complete(null));
        }
    }

    private boolean wanted(String channel) {
        if (closed) {
            return false;
        }
        String room = channels.roomOf(channel);
        return room == null || local.hasMembers(room); // the presence, all and single channels always
    }

    private void track(String channel, boolean subscribing, CompletionStage<Void> change) {
        subscriptionsInFlight.incrementAndGet();
        change.whenComplete((v, e) -> {
            if (e == null && subscribing) {
                newSubscription(channel);
            }
            if (e != null) {
                // Undo what we believed, and try again later: the broker did not take the change.
                if (subscribing) {
                    subscribed.remove(channel);
                } else {
                    subscribed.add(channel);
                }
                failed.add(channel);
            }
            subscriptionsInFlight.decrementAndGet();
            LockSupport.unpark(publisher);
        });
    }

    /**
     * Starts the counts of {@code channel} afresh, in order with its arrivals: a broker confirms a
     * subscription after handing over what came through the previous one, so a message still on its
     * way from before is counted in the old count, never as the start of a gap in the new one.
     */
    private void newSubscription(String channel) {
        if (!inbound.offer(new Arrival(channel, null))) {
            sequences.forget(channel); // the queue is full, so arrivals are being lost and counted anyway
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
        call(() -> broker.publish(channel, bytes)).whenComplete((v, e) -> {
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
        call(() -> broker.publish(channel, bytes)); // lost counts are only late counts: not counted
    }

    private void drop(String why) {
        dropped.increment();
        settings.metrics().brokerPublishDropped();
        dropLog.log(() -> "rooms of node " + settings.node() + " dropped a message for other nodes: " + why);
    }

    /** A broker call that throws instead of failing its future fails the future. */
    private static CompletionStage<Void> call(java.util.function.Supplier<CompletionStage<Void>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Binary messages are copied when queued, so the caller may reuse its buffer once broadcast returns. */
    private static Message stable(Message message) {
        if (message instanceof Message.Binary b) {
            ByteBuffer copy = ByteBuffer.allocate(b.data().remaining()).put(b.data().duplicate()).flip();
            return Message.binary(copy);
        }
        return message;
    }

    // --- the inbound thread

    private void delivering() {
        while (!closed) {
            Arrival a;
            try {
                a = inbound.take();
            } catch (InterruptedException e) {
                return; // closed
            }
            try {
                if (a.bytes() == null) {
                    sequences.forget(a.channel());
                } else {
                    arrived(a.channel(), a.bytes());
                }
            } catch (RuntimeException e) {
                LOG.log(WARNING, "rooms of node " + settings.node() + " failed to deliver a message", e);
            }
        }
    }

    private void arrived(String channel, byte[] bytes) {
        Envelope envelope;
        try {
            envelope = Envelope.decode(bytes);
        } catch (MalformedEnvelopeException e) {
            malformed(channel, e.getMessage());
            return;
        }
        boolean presenceChannel = channel.equals(channels.presence());
        if (envelope instanceof Envelope.Presence p && presenceChannel) {
            if (p.node().equals(settings.node())) {
                return;
            }
            if (p.members().isEmpty()) {
                counts.remove(p.node());
            } else {
                counts.update(p, System.nanoTime());
            }
        } else if (envelope instanceof Envelope.Publication p && !presenceChannel) {
            boolean everyone = channel.equals(channels.all());
            String room = channels.roomOf(channel);
            if (everyone ? !p.room().equals(EVERYONE) : channels.perRoom() && !p.room().equals(room)) {
                malformed(channel, "published for room " + p.room());
                return;
            }
            if (p.node().equals(settings.node())) {
                return; // ours: delivered here when it was published
            }
            boolean members = room == null || local.hasMembers(room);
            if (!members && !subscribed.contains(channel)) {
                // Late from a channel just left: nobody to deliver to, and no count to keep, since
                // what is published while unsubscribed is not missed.
                return;
            }
            // Still subscribed, the count goes on even if the room is empty for a moment: the next
            // message is no gap.
            received.increment();
            long gap = sequences.heard(p.node(), channel, p.sequence());
            if (gap > 0) {
                missed.add(gap);
                settings.metrics().brokerMissed(gap);
                gapLog.log(() -> "rooms of node " + settings.node() + " missed " + gap + " message(s) from node "
                        + p.node() + " on " + channel + " (sequence " + p.sequence() + ")");
            }
            if (!members) {
                return;
            }
            if (everyone) {
                local.deliverToAll(p.message(), p.except());
            } else {
                local.deliver(p.room(), p.message(), p.except());
            }
        } else {
            malformed(channel, "a " + (presenceChannel ? "message" : "presence") + " envelope on the wrong channel");
        }
    }

    private void malformed(String channel, String why) {
        malformed.increment();
        settings.metrics().brokerArrivalDropped();
        malformedLog.log(() -> "rooms of node " + settings.node() + " dropped what arrived on " + channel
                + ": not a weft/1 envelope: " + why);
    }
}
