package dev.weft.benchmarks.hostile;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a hostile-load run does: the server, the time, the well-behaved clients and the attackers.
 *
 * @param port the server's port on 127.0.0.1
 * @param path the echo endpoint's path
 * @param duration how long the load runs
 * @param scenario the named mix the counts started from
 * @param attackers attackers of each kind (every kind present)
 * @param echoConnections well-behaved connections
 * @param echoRate messages per second on each well-behaved connection
 * @param echoSize bytes per well-behaved message
 * @param echoTimeout how long an echo may take before it counts as timed out
 * @param limit the server's message size limit, which the attacks aim at
 * @param trickle how often a declared-length attacker sends one more byte; zero for never
 * @param reconnectPause how long an attacker waits after its connection ended before the next
 * @param json whether to print the report as one JSON object
 */
record LoadOptions(int port, String path, Duration duration, Scenario scenario, Map<Kind, Integer> attackers,
                   int echoConnections, int echoRate, int echoSize, Duration echoTimeout, int limit,
                   Duration trickle, Duration reconnectPause, boolean json) {

    /** {@code weft serve}'s default message limit. */
    static final int SERVE_LIMIT = 64 << 20;

    private static final Set<String> OPTIONS = Set.of("--port", "--path", "--duration", "--scenario", "--attackers",
            "--echo-connections", "--echo-rate", "--echo-size", "--echo-timeout", "--limit", "--trickle-ms",
            "--reconnect-ms", "--json");

    static final String USAGE = String.join("\n",
            "usage: HostileLoad --port N [options]",
            "  --port N               the server's port on 127.0.0.1 (required)",
            "  --path P               the echo endpoint (default /echo)",
            "  --duration S           seconds to run (default 60)",
            "  --scenario NAME        mixed (default), declared-length or compressed-partial",
            "  --attackers K=N,...    attackers of kind K (overrides the scenario's count; 0 for none):",
            "                         " + String.join(", ", kindLabels()),
            "  --echo-connections N   well-behaved connections (default: the scenario's, 10 for mixed)",
            "  --echo-rate N          messages per second on each (default 20)",
            "  --echo-size N          bytes per message (default 1024)",
            "  --echo-timeout S       seconds before an echo counts as timed out (default 5)",
            "  --limit BYTES          the server's message limit, which the attacks aim at (default 67108864)",
            "  --trickle-ms N         declared-length: one more byte every N ms, 0 never (default: 1000 for mixed, else 0)",
            "  --reconnect-ms N       an attacker's pause before it reconnects (default 100)",
            "  --json                 print the report as one JSON object");

    LoadOptions {
        attackers = Collections.unmodifiableMap(new EnumMap<>(attackers));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port must be 1..65535: " + port);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("--path must start with /: " + path);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        if (echoConnections < 0 || echoRate < 1 || echoSize < 0 || limit < 125) {
            throw new IllegalArgumentException("--echo-connections must not be negative, --echo-rate must be at "
                    + "least 1, --echo-size not negative, and --limit at least 125");
        }
        if (attackers.values().stream().anyMatch(n -> n < 0)) {
            throw new IllegalArgumentException("attacker counts must not be negative: " + attackers);
        }
    }

    /** Attackers in all. */
    int attackerCount() {
        return attackers.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Reads a command line.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    static LoadOptions parse(String... args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!OPTIONS.contains(option)) {
                throw new IllegalArgumentException("unknown option " + option);
            }
            if (option.equals("--json")) {
                given.put(option, "true");
            } else if (i + 1 < args.length) {
                given.put(option, args[++i]);
            } else {
                throw new IllegalArgumentException("missing value for " + option);
            }
        }
        Scenario scenario = Scenario.of(given.getOrDefault("--scenario", Scenario.MIXED.label()));
        Map<Kind, Integer> attackers = scenario.attackers();
        if (given.containsKey("--attackers")) {
            for (String entry : given.get("--attackers").split(",")) {
                String[] kv = entry.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("--attackers takes KIND=N,...: " + entry);
                }
                attackers.put(Kind.of(kv[0].trim()), number("--attackers", kv[1].trim()));
            }
        }
        LoadOptions options = new LoadOptions(
                number("--port", given.getOrDefault("--port", "0")),
                given.getOrDefault("--path", "/echo"),
                seconds("--duration", given.getOrDefault("--duration", "60")),
                scenario,
                attackers,
                number("--echo-connections", given.getOrDefault("--echo-connections", "" + scenario.echoConnections())),
                number("--echo-rate", given.getOrDefault("--echo-rate", "20")),
                number("--echo-size", given.getOrDefault("--echo-size", "1024")),
                seconds("--echo-timeout", given.getOrDefault("--echo-timeout", "5")),
                number("--limit", given.getOrDefault("--limit", "" + SERVE_LIMIT)),
                Duration.ofMillis(number("--trickle-ms", given.getOrDefault("--trickle-ms",
                        "" + scenario.trickle().toMillis()))),
                Duration.ofMillis(number("--reconnect-ms", given.getOrDefault("--reconnect-ms", "100"))),
                given.containsKey("--json"));
        return options;
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number: " + value);
        }
    }

    private static Duration seconds(String option, String value) {
        try {
            return Duration.ofNanos((long) (Double.parseDouble(value) * 1e9));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes seconds: " + value);
        }
    }

    private static String[] kindLabels() {
        Kind[] kinds = Kind.values();
        String[] labels = new String[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            labels[i] = kinds[i].label();
        }
        return labels;
    }
}
