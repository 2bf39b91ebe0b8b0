package dev.weft.cluster;

import dev.weft.api.metrics.WebSocketMetrics;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * What arrives from the broker, on a thread of its own: a bounded queue filled on the broker's
 * threads, then each envelope decoded strictly, other nodes' member counts kept, gaps in their
 * sequence numbers counted, and messages handed to the local members. Arrivals that are not
 * envelopes, or that find the queue full, are dropped and counted, never delivered.
 */
final class Arrivals {

    /** A message, or (bytes null) the start of a new subscription to the channel. */
    private record Arrival(String channel, byte[] bytes) {
    }

    private static final System.Logger LOG = QuietLog.logger();

    private final String node;
    private final Channels channels;
    private final BrokerLink.Local local;
    private final Sequences sequences;
    private final ClusterCounts counts;
    private final Predicate<String> subscribed;
    private final WebSocketMetrics metrics;
    private final BlockingQueue<Arrival> queue;
    private final int capacity;
    private final Thread thread;
    private final LongAdder received = new LongAdder();
    private final LongAdder missed = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder overflowed = new LongAdder();
    private final QuietLog gapLog = new QuietLog(INFO, TimeUnit.SECONDS.toNanos(10));
    private final QuietLog malformedLog = new QuietLog(INFO, TimeUnit.SECONDS.toNanos(10));
    private final QuietLog overflowLog = new QuietLog(WARNING, TimeUnit.SECONDS.toNanos(10));

    /** @param subscribed whether the node is subscribed to a channel now */
    Arrivals(String node, Channels channels, BrokerLink.Local local, Sequences sequences, ClusterCounts counts,
             Predicate<String> subscribed, WebSocketMetrics metrics, int queue) {
        this.node = node;
        this.channels = channels;
        this.local = local;
        this.sequences = sequences;
        this.counts = counts;
        this.subscribed = subscribed;
        this.metrics = metrics;
        this.queue = new ArrayBlockingQueue<>(queue);
        this.capacity = queue;
        this.thread = new Thread(this::delivering, "weft-rooms-in-" + node);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        thread.interrupt();
    }

    /** Queues what arrived on {@code channel}; drops it (and counts) if the queue is full. The broker's threads. */
    void arrived(String channel, byte[] message) {
        if (!queue.offer(new Arrival(channel, message))) {
            overflowed.increment();
            metrics.brokerArrivalDropped();
            overflowLog.log(() -> "rooms of node " + node + " dropped a message from the broker: "
                    + "the delivery queue is full (" + capacity + " messages)");
        }
    }

    /**
     * Starts the counts of {@code channel} afresh, in order with its arrivals: a broker confirms a
     * subscription after handing over what came through the previous one, so a message still on its
     * way from before is counted in the old count, never as the start of a gap in the new one.
     */
    void subscribedAnew(String channel) {
        if (!queue.offer(new Arrival(channel, null))) {
            sequences.forget(channel); // the queue is full, so arrivals are being lost and counted anyway
        }
    }

    long received() {
        return received.sum();
    }

    long missed() {
        return missed.sum();
    }

    long malformed() {
        return malformed.sum();
    }

    long overflowed() {
        return overflowed.sum();
    }

    private void delivering() {
        while (true) {
            Arrival a;
            try {
                a = queue.take();
            } catch (InterruptedException e) {
                return; // stopped
            }
            try {
                if (a.bytes() == null) {
                    sequences.forget(a.channel());
                } else {
                    deliver(a.channel(), a.bytes());
                }
            } catch (RuntimeException e) {
                LOG.log(WARNING, "rooms of node " + node + " failed to deliver a message", e);
            }
        }
    }

    private void deliver(String channel, byte[] bytes) {
        Envelope envelope;
        try {
            envelope = Envelope.decode(bytes);
        } catch (MalformedEnvelopeException e) {
            malformed(channel, e.getMessage());
            return;
        }
        boolean presenceChannel = channel.equals(channels.presence());
        if (envelope instanceof Envelope.Presence p && presenceChannel) {
            count(p);
        } else if (envelope instanceof Envelope.Publication p && !presenceChannel) {
            deliver(channel, p);
        } else {
            malformed(channel, "a " + (presenceChannel ? "message" : "presence") + " envelope on the wrong channel");
        }
    }

    private void count(Envelope.Presence p) {
        if (p.node().equals(node)) {
            return;
        }
        if (p.members().isEmpty()) {
            counts.remove(p.node());
        } else {
            counts.update(p, System.nanoTime());
        }
    }

    private void deliver(String channel, Envelope.Publication p) {
        boolean everyone = channel.equals(channels.all());
        String room = channels.roomOf(channel);
        if (everyone ? !p.room().equals(BrokerLink.EVERYONE) : channels.perRoom() && !p.room().equals(room)) {
            malformed(channel, "published for room " + p.room());
            return;
        }
        if (p.node().equals(node)) {
            return; // ours: delivered here when it was published
        }
        boolean members = room == null || local.hasMembers(room);
        if (!members && !subscribed.test(channel)) {
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
            metrics.brokerMissed(gap);
            gapLog.log(() -> "rooms of node " + node + " missed " + gap + " message(s) from node "
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
    }

    private void malformed(String channel, String why) {
        malformed.increment();
        metrics.brokerArrivalDropped();
        malformedLog.log(() -> "rooms of node " + node + " dropped what arrived on " + channel
                + ": not a weft/1 envelope: " + why);
    }
}
