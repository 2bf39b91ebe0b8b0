package dev.weft.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sequence numbers, per channel: the next to publish, and the last heard from each other node, to
 * count the messages that never arrived. Bounded: past {@link #MAX_TRACKED} entries a map starts
 * over, which costs a publisher a restart at 1 (receivers take 1 as a new count, never as a gap)
 * and a receiver one gap it will not see. {@link #next} has one caller thread (the publishing one),
 * {@link #heard} another (the delivering one); {@link #forget} may come from any.
 */
final class Sequences {

    static final int MAX_TRACKED = 100_000;

    private final Map<String, Long> next = new HashMap<>();
    private final Map<String, Long> heard = new ConcurrentHashMap<>();

    /** The sequence number of this node's next message on {@code channel}: 1, 2, … */
    long next(String channel) {
        if (next.size() >= MAX_TRACKED && !next.containsKey(channel)) {
            next.clear();
        }
        return next.merge(channel, 1L, Long::sum);
    }

    /**
     * Notes that {@code sequence} arrived from {@code node} on {@code channel}.
     *
     * @return how many of that node's messages were skipped since the last one heard: 0 unless a
     *     gap shows (a first message, a 1, a repeat or a step back start a new count)
     */
    long heard(String node, String channel, long sequence) {
        if (sequence == 0) {
            return 0; // not counted
        }
        String key = node + ' ' + channel;
        if (heard.size() >= MAX_TRACKED && !heard.containsKey(key)) {
            heard.clear();
        }
        Long last = heard.put(key, sequence);
        return last == null || sequence == 1 || sequence <= last ? 0 : sequence - last - 1;
    }

    /** Forgets what was heard on {@code channel}, once unsubscribed: a later subscription starts afresh. */
    void forget(String channel) {
        heard.keySet().removeIf(key -> key.substring(key.indexOf(' ') + 1).equals(channel));
    }
}
