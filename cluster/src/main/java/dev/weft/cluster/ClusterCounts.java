package dev.weft.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Other nodes' member counts, as their {@link Envelope.Presence} messages last said, each until its
 * time to live runs out (a node that stops publishing drops out of the sums). Thread-safe. At most
 * {@link #MAX_NODES} nodes are kept: a flood of made-up node ids cannot grow it further.
 */
final class ClusterCounts {

    static final int MAX_NODES = 1024;

    private record Counts(Map<String, Integer> members, long expiresAtNanos) {
    }

    private final Map<String, Counts> nodes = new ConcurrentHashMap<>();

    /** Takes what {@code presence} says, received at {@code nowNanos}. */
    void update(Envelope.Presence presence, long nowNanos) {
        if (nodes.size() >= MAX_NODES && !nodes.containsKey(presence.node())) {
            expire(nowNanos);
            if (nodes.size() >= MAX_NODES) {
                return;
            }
        }
        nodes.put(presence.node(), new Counts(presence.members(), nowNanos + presence.ttl().toNanos()));
    }

    /** The members of {@code room} on other nodes, by the counts that still hold at {@code nowNanos}. */
    int members(String room, long nowNanos) {
        int sum = 0;
        for (Counts c : nodes.values()) {
            if (c.expiresAtNanos - nowNanos > 0) {
                sum += c.members.getOrDefault(room, 0);
            }
        }
        return sum;
    }

    /** Drops the counts whose time has run out. */
    void expire(long nowNanos) {
        nodes.values().removeIf(c -> c.expiresAtNanos - nowNanos <= 0);
    }

    /** Forgets {@code node} (it said it is leaving). */
    void remove(String node) {
        nodes.remove(node);
    }
}
