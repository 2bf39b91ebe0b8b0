package dev.weft.cluster;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Other nodes' member counts, each good for its time to live; time is given, not read. */
class ClusterCountsTest {

    private final ClusterCounts counts = new ClusterCounts();

    @Test
    void countsOfNodesAddUp() {
        counts.update(presence("a", 1_000, Map.of("lobby", 2, "x", 1)), 0);
        counts.update(presence("b", 1_000, Map.of("lobby", 3)), 0);
        assertEquals(5, counts.members("lobby", 0));
        assertEquals(1, counts.members("x", 0));
        assertEquals(0, counts.members("nowhere", 0));
    }

    @Test
    void aNewerPresenceReplacesTheOlder() {
        counts.update(presence("a", 1_000, Map.of("lobby", 2, "x", 1)), 0);
        counts.update(presence("a", 1_000, Map.of("lobby", 7)), 10);
        assertEquals(7, counts.members("lobby", 10));
        assertEquals(0, counts.members("x", 10));
    }

    @Test
    void countsHoldUntilTheirTimeToLiveRunsOut() {
        long ms = 1_000_000;
        counts.update(presence("a", 100, Map.of("lobby", 2)), 5 * ms);
        counts.update(presence("b", 300, Map.of("lobby", 3)), 5 * ms);
        assertEquals(5, counts.members("lobby", 104 * ms));
        assertEquals(3, counts.members("lobby", 105 * ms));
        assertEquals(0, counts.members("lobby", 305 * ms));
    }

    @Test
    void timeMayWrapAround() {
        long start = Long.MAX_VALUE - 10;
        counts.update(presence("a", 1, Map.of("lobby", 2)), start);
        assertEquals(2, counts.members("lobby", start + 999_999));
        assertEquals(0, counts.members("lobby", start + 1_000_000));
    }

    @Test
    void aNodeThatLeavesIsForgotten() {
        counts.update(presence("a", 1_000, Map.of("lobby", 2)), 0);
        counts.remove("a");
        assertEquals(0, counts.members("lobby", 0));
    }

    @Test
    void madeUpNodesCannotGrowItPastItsBound() {
        for (int i = 0; i < ClusterCounts.MAX_NODES + 100; i++) {
            counts.update(presence("n" + i, 1_000, Map.of("lobby", 1)), 0);
        }
        assertEquals(ClusterCounts.MAX_NODES, counts.members("lobby", 0));
        // Once their counts run out, new nodes are taken again.
        counts.update(presence("late", 1_000, Map.of("lobby", 1)), Duration.ofSeconds(2).toNanos());
        assertEquals(1, counts.members("lobby", Duration.ofSeconds(2).toNanos()));
    }

    private static Envelope.Presence presence(String node, long ttlMillis, Map<String, Integer> members) {
        return new Envelope.Presence(node, 1, Duration.ofMillis(ttlMillis), members);
    }
}
