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
 * @param inflight messages each connection kept on their way (closed loop), or the most it could
 *        (open loop)
 * @param extensions the extensions agreed, as the server's response listed them
 * @param rate open loop: messages a second scheduled across all connections; 0 for a closed loop
 * @param seconds the measured time
 * @param messages echoes received in the measured time
 * @param sends the messages sent in the measured time
 * @param roundTrips round-trip times in nanoseconds, measured time only: from each send on a closed
 *        loop, from each message's scheduled time on an open loop
 * @param connectTimes each connection's TCP connect, TLS and opening handshake, in nanoseconds
 * @param errors what went wrong, over the whole run
 */
public record BenchResult(String url, int connections, int failedConnections, int size, boolean binary, int inflight,
                          List<String> extensions, double rate, double seconds, long messages, EchoLoad.Sends sends,
                          Histogram roundTrips, Histogram connectTimes, EchoLoad.Errors errors) {

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

    /** Whether the load was an open loop, sent on schedule. */
    public boolean openLoop() {
        return rate > 0;
    }

    /** A few lines for a terminal. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(format("weft bench %s%n", url));
        s.append(format("  %d connection%s, %d-byte %s messages, %s%d in flight each, extensions: %s%n", connections,
                connections == 1 ? "" : "s", size, binary ? "binary" : "text", openLoop() ? "at most " : "", inflight,
                extensions.isEmpty() ? "none" : String.join(", ", extensions)));
        s.append(openLoop()
                ? format("  load         open loop: %,.0f msg/s on schedule, whether or not echoes came back%n", rate)
                : format("  load         closed loop: each echo sends the next message%n"));
        s.append(format("  measured     %.1f s%n", seconds));
        s.append(format("  messages     %,d echoed (%,.0f msg/s), %,d sent", messages, messagesPerSecond(), sends.sent()));
        if (openLoop()) {
            s.append(format(" of %,d scheduled", sends.sent() + sends.skipped()));
        }
        s.append(System.lineSeparator());
        s.append(format("  throughput   %,.2f MB/s each way%n", megabytesPerSecond()));
        s.append(format("  latency      p50 %s  p90 %s  p99 %s  p99.9 %s  max %s%n", at(roundTrips, 50), at(roundTrips, 90),
                at(roundTrips, 99), at(roundTrips, 99.9), duration(roundTrips.getMaxValue())));
        s.append(format("               mean %s  stdev %s, %s%n", duration((long) roundTrips.getMean()),
                duration((long) roundTrips.getStdDeviation()), openLoop()
                        ? "from each message's scheduled time (corrected for coordinated omission)"
                        : "from each send"));
        s.append(format("  connect      p50 %s  p99 %s  max %s (TCP, TLS and opening handshake)%n", at(connectTimes, 50),
                at(connectTimes, 99), duration(connectTimes.getMaxValue())));
        if (openLoop()) {
            s.append(format("  behind       %,d sent late (the window was full when due), %,d not sent%n", sends.late(),
                    sends.skipped()));
        }
        s.append(format("  errors       %d", totalErrors()));
        if (totalErrors() > 0) {
            s.append(format(" (connect %d, mismatch %d, closed %d, send %d; first: %s)", failedConnections,
                    errors.mismatches(), errors.closes(), errors.sendFailures(), errors.first()));
        }
        return s.append(System.lineSeparator()).toString();
    }

    /** One JSON object; latencies in microseconds. */
    public String toJson() {
        // Fields are only ever added, after the ones before them: scripts such as
        // benchmarks/compare.sh take the first "p50" they find.
        return format("{\"url\":%s,\"connections\":%d,\"size\":%d,\"binary\":%b,\"inflight\":%d,\"extensions\":[%s],"
                        + "\"seconds\":%.6f,\"messages\":%d,\"messagesPerSecond\":%.1f,\"megabytesPerSecond\":%.3f,"
                        + "\"latencyMicros\":%s,"
                        + "\"errors\":%d,\"errorDetail\":{\"connect\":%d,\"mismatch\":%d,\"closed\":%d,\"send\":%d},"
                        + "\"latencyFrom\":\"%s\",\"rate\":%s,\"sent\":%d,\"late\":%d,\"skipped\":%d,"
                        + "\"connectMicros\":{\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f}}",
                Json.quote(url), connections, size, binary, inflight,
                String.join(",", extensions.stream().map(Json::quote).toList()),
                seconds, messages, messagesPerSecond(), megabytesPerSecond(), latencyJson(roundTrips),
                totalErrors(), failedConnections, errors.mismatches(), errors.closes(), errors.sendFailures(),
                openLoop() ? "schedule" : "send", openLoop() ? format("%.1f", rate) : "null",
                sends.sent(), sends.late(), sends.skipped(),
                connectTimes.getValueAtPercentile(50) / 1e3, connectTimes.getValueAtPercentile(99) / 1e3,
                connectTimes.getMaxValue() / 1e3);
    }

    /** Percentiles, max, mean and standard deviation of {@code h}, in microseconds, as a JSON object. */
    static String latencyJson(Histogram h) {
        return format("{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"p999\":%.1f,\"max\":%.1f,\"mean\":%.1f,\"stdev\":%.1f}",
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, h.getMean() / 1e3, h.getStdDeviation() / 1e3);
    }

    private static String at(Histogram h, double percentile) {
        return duration(h.getValueAtPercentile(percentile));
    }

    /** {@code 87 µs} or {@code 1.25 ms}. */
    static String duration(long nanos) {
        return nanos < 1_000_000 ? format("%d µs", nanos / 1000) : format("%.2f ms", nanos / 1e6);
    }

    static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
