package dev.weft.benchmarks.hostile;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened to the attackers' connections, per kind: how many were opened and how each ended.
 * Thread-safe: every attacker thread records into it.
 */
final class Tally {

    private final Map<Kind, LongAdder> connections = new ConcurrentHashMap<>();
    private final Map<Kind, Map<String, LongAdder>> outcomes = new ConcurrentHashMap<>();

    /** One more connection attempt of {@code kind}. */
    void connecting(Kind kind) {
        connections.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /** How a connection of {@code kind} ended. */
    void ended(Kind kind, String outcome) {
        outcomes.computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, o -> new LongAdder()).increment();
    }

    /** Connection attempts of {@code kind} so far. */
    long connections(Kind kind) {
        LongAdder n = connections.get(kind);
        return n == null ? 0 : n.sum();
    }

    /** Outcomes of {@code kind} so far, by outcome, sorted. */
    Map<String, Long> outcomes(Kind kind) {
        Map<String, Long> out = new TreeMap<>();
        outcomes.getOrDefault(kind, Map.of()).forEach((o, n) -> out.put(o, n.sum()));
        return out;
    }
}
