package dev.weft.benchmarks.hostile;

import org.HdrHistogram.Histogram;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The figures of one hostile-load run, for people or as one JSON object.
 *
 * @param options what ran
 * @param seconds how long it ran
 * @param echoes the well-behaved clients' figures, or {@code null} if there were none
 * @param attackers per kind that ran: its attackers, their connections and how those ended
 */
record HostileReport(LoadOptions options, double seconds, EchoTally.Summary echoes, Map<Kind, Attackers> attackers) {

    /**
     * One kind's figures.
     *
     * @param count attackers of the kind
     * @param connections connections they opened (or tried to)
     * @param outcomes how those connections ended, by outcome: a close code, {@code http NNN},
     *     {@code eof}, {@code reset}, {@value AttackerSlot#HELD}, ...
     */
    record Attackers(int count, long connections, Map<String, Long> outcomes) {
    }

    /** Each kind that ran, from the tally. */
    static Map<Kind, Attackers> attackers(LoadOptions options, Tally tally) {
        Map<Kind, Attackers> out = new EnumMap<>(Kind.class);
        options.attackers().forEach((kind, count) -> {
            if (count > 0) {
                out.put(kind, new Attackers(count, tally.connections(kind), tally.outcomes(kind)));
            }
        });
        return out;
    }

    /** Lines for a terminal. */
    String toText() {
        StringBuilder s = new StringBuilder();
        s.append(format("hostile load on %s:%d%s, scenario %s, %.1f s, message limit %d bytes%n", RawWebSocket.HOST,
                options.port(), options.path(), options.scenario().label(), seconds, options.limit()));
        if (echoes != null) {
            Histogram h = echoes.latencies();
            s.append(format("well-behaved   %d connections, %d msg/s each, %d-byte text%n", echoes.connections(),
                    echoes.rate(), echoes.size()));
            s.append(format("  echoes       %,d (%,.0f/s)%n", echoes.echoes(), echoes.echoes() / seconds));
            s.append(format("  latency      p50 %s  p90 %s  p99 %s  p99.9 %s  max %s%n", millis(h, 50), millis(h, 90),
                    millis(h, 99), millis(h, 99.9), format("%.2f ms", h.getMaxValue() / 1e6)));
            s.append(format("  errors       %d (timeouts %d, closed by the server %s, wrong echoes %d, "
                            + "connect failures %d, send failures %d)%n", echoes.errors(), echoes.timeouts(),
                    echoes.unexpectedCloses(), echoes.mismatches(), echoes.connectFailures(), echoes.sendFailures()));
        }
        s.append(format("attackers      %-20s %5s %11s  %s%n", "kind", "count", "connections", "how they ended"));
        attackers.forEach((kind, a) -> s.append(format("               %-20s %5d %11d  %s%n", kind.label(), a.count(),
                a.connections(), a.outcomes().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                        .collect(Collectors.joining(", ")))));
        return s.toString();
    }

    /** One JSON object; latencies in microseconds. */
    String toJson() {
        StringBuilder s = new StringBuilder("{");
        s.append(format("\"port\":%d,\"path\":%s,\"scenario\":%s,\"seconds\":%.3f,\"limit\":%d", options.port(),
                quote(options.path()), quote(options.scenario().label()), seconds, options.limit()));
        if (echoes != null) {
            Histogram h = echoes.latencies();
            s.append(format(",\"echo\":{\"connections\":%d,\"rate\":%d,\"size\":%d,\"echoes\":%d,"
                            + "\"latencyMicros\":{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"p999\":%.1f,\"max\":%.1f},"
                            + "\"errors\":%d,\"errorDetail\":{\"timeouts\":%d,\"closed\":%s,\"mismatches\":%d,"
                            + "\"connect\":%d,\"send\":%d}}",
                    echoes.connections(), echoes.rate(), echoes.size(), echoes.echoes(), micros(h, 50), micros(h, 90),
                    micros(h, 99), micros(h, 99.9), h.getMaxValue() / 1e3, echoes.errors(), echoes.timeouts(),
                    counts(echoes.unexpectedCloses()), echoes.mismatches(), echoes.connectFailures(),
                    echoes.sendFailures()));
        }
        s.append(",\"attackers\":{");
        s.append(attackers.entrySet().stream().map(e -> format("%s:{\"count\":%d,\"connections\":%d,\"outcomes\":%s}",
                quote(e.getKey().label()), e.getValue().count(), e.getValue().connections(),
                counts(e.getValue().outcomes()))).collect(Collectors.joining(",")));
        return s.append("}}").toString();
    }

    private static String counts(Map<?, Long> counts) {
        return counts.entrySet().stream().map(e -> quote(String.valueOf(e.getKey())) + ":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String millis(Histogram h, double percentile) {
        return format("%.2f ms", h.getValueAtPercentile(percentile) / 1e6);
    }

    private static double micros(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e3;
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    /** A JSON string literal (outcomes and paths are ASCII without control characters). */
    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
