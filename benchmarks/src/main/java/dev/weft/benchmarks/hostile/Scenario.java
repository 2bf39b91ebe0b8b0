package dev.weft.benchmarks.hostile;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Named mixes of clients: the soak's mix, and the two attacks of issue 13 measured alone by hand
 * ("before" and "after" the engine's change, with the same command). Command-line options change
 * any count.
 */
enum Scenario {

    /** Every kind of attacker at once, beside well-behaved echo clients: the soak. */
    MIXED(10, Duration.ofSeconds(1), Map.of(
            Kind.DECLARED_LENGTH, 2, Kind.DECLARED_OVERSIZE, 1, Kind.COMPRESSED_PARTIAL, 2,
            Kind.DEFLATE_BOMB, 1, Kind.ZSTD_BOMB, 1, Kind.SLOWLORIS, 4, Kind.PING_FLOOD, 1,
            Kind.SLOW_READER, 2, Kind.CHURN, 2)),
    /** Five connections, each a header declaring a limit-sized payload and one byte of it, held. */
    DECLARED_LENGTH(0, Duration.ZERO, Map.of(Kind.DECLARED_LENGTH, 5)),
    /** Four connections, each holding an unfinished compressed message that inflates to just under the limit. */
    COMPRESSED_PARTIAL(0, Duration.ZERO, Map.of(Kind.COMPRESSED_PARTIAL, 4));

    private final int echoConnections;
    private final Duration trickle;
    private final Map<Kind, Integer> attackers;

    Scenario(int echoConnections, Duration trickle, Map<Kind, Integer> attackers) {
        this.echoConnections = echoConnections;
        this.trickle = trickle;
        this.attackers = attackers;
    }

    /** Well-behaved connections. */
    int echoConnections() {
        return echoConnections;
    }

    /** How often a declared-length attacker sends one more byte; zero for never. */
    Duration trickle() {
        return trickle;
    }

    /** Attackers of each kind (every kind present, 0 for none). */
    Map<Kind, Integer> attackers() {
        Map<Kind, Integer> all = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            all.put(k, attackers.getOrDefault(k, 0));
        }
        return all;
    }

    /** The name on the command line, such as {@code declared-length}. */
    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The scenario called {@code label}. */
    static Scenario of(String label) {
        for (Scenario s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no scenario " + label + "; the scenarios are "
                + Arrays.stream(values()).map(Scenario::label).collect(Collectors.joining(", ")));
    }
}
