package dev.weft.cli.bench;

import dev.weft.cli.Json;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;

/**
 * The figures of one {@code weft bench} run, written for people or as one JSON object.
 *
 * @param url the server
 * @param connections connections that opened
 * @param failedConnections connections that could not be opened
 * @param size message size in bytes
 * @param binary whether messages were binary
 * @param inflight messages each connection kept on their way
 * @param extensions the extensions agreed, as the server's response listed them
 * @param seconds the measured time
 * @param messages echoes received in the measured time
 * @param roundTrips round-trip times in nanoseconds, measured time only
 * @param errors what went wrong, over the whole run
 */
public record BenchResult(String url, int connections, int failedConnections, int size, boolean binary, int inflight,
                          List<String> extensions, double seconds, long messages, Histogram roundTrips,
                          EchoLoad.Errors errors) {

    /** Echoes per second. */
    public double messagesPerSecond() {
        return messages / seconds;
    }

    /** Payload megabytes (10^6 bytes) per second, each way. */
    public double megabytesPerSecond() {
        return messages * (double) size / seconds / 1e6;
    }

    /** All errors, failed connections included. */
    public long totalErrors() {
        return errors.total() + failedConnections;
    }

    /** A few lines for a terminal. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(format("weft bench %s%n", url));
        s.append(format("  %d connections, %d-byte %s messages, %d in flight each, extensions: %s%n", connections, size,
                binary ? "binary" : "text", inflight, extensions.isEmpty() ? "none" : String.join(", ", extensions)));
        s.append(format("  measured     %.1f s%n", seconds));
        s.append(format("  messages     %,d (%,.0f msg/s)%n", messages, messagesPerSecond()));
        s.append(format("  throughput   %,.2f MB/s each way%n", megabytesPerSecond()));
        s.append(format("  latency      p50 %s  p90 %s  p99 %s  p99.9 %s  max %s%n", millis(50), millis(90), millis(99),
                millis(99.9), duration(roundTrips.getMaxValue())));
        s.append(format("  errors       %d", totalErrors()));
        if (totalErrors() > 0) {
            s.append(format(" (connect %d, mismatch %d, closed %d, send %d; first: %s)", failedConnections,
                    errors.mismatches(), errors.closes(), errors.sendFailures(), errors.first()));
        }
        return s.append(System.lineSeparator()).toString();
    }

    /** One JSON object; latencies in microseconds. */
    public String toJson() {
        return format("{\"url\":%s,\"connections\":%d,\"size\":%d,\"binary\":%b,\"inflight\":%d,\"extensions\":[%s],"
                        + "\"seconds\":%.6f,\"messages\":%d,\"messagesPerSecond\":%.1f,\"megabytesPerSecond\":%.3f,"
                        + "\"latencyMicros\":{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"p999\":%.1f,\"max\":%.1f},"
                        + "\"errors\":%d,\"errorDetail\":{\"connect\":%d,\"mismatch\":%d,\"closed\":%d,\"send\":%d}}",
                Json.quote(url), connections, size, binary, inflight,
                String.join(",", extensions.stream().map(Json::quote).toList()),
                seconds, messages, messagesPerSecond(), megabytesPerSecond(),
                micros(50), micros(90), micros(99), micros(99.9), roundTrips.getMaxValue() / 1e3,
                totalErrors(), failedConnections, errors.mismatches(), errors.closes(), errors.sendFailures());
    }

    private double micros(double percentile) {
        return roundTrips.getValueAtPercentile(percentile) / 1e3;
    }

    private String millis(double percentile) {
        return duration(roundTrips.getValueAtPercentile(percentile));
    }

    /** {@code 87 µs} or {@code 1.25 ms}. */
    private static String duration(long nanos) {
        return nanos < 1_000_000 ? format("%d µs", nanos / 1000) : format("%.2f ms", nanos / 1e6);
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
