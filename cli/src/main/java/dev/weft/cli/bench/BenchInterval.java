package dev.weft.cli.bench;

import org.HdrHistogram.Histogram;

/**
 * The figures of one interval of a {@code weft bench} run (about a second), written as a progress
 * line for people or as one JSON object.
 *
 * @param elapsed seconds since the warm-up began, at the end of the interval
 * @param total seconds the warm-up and the measured time take together
 * @param phase {@code warmup} or {@code measuring}
 * @param open connections open at the end of the interval
 * @param seconds the interval's length
 * @param messages echoes received in the interval
 * @param roundTrips the interval's round trips, in nanoseconds
 * @param errors errors so far, failed connections included
 * @param late open loop: messages sent behind schedule in the interval; {@code -1} for a closed loop
 */
public record BenchInterval(double elapsed, double total, String phase, int open, double seconds, long messages,
                            Histogram roundTrips, long errors, long late) {

    /** Echoes per second in the interval. */
    public double messagesPerSecond() {
        return seconds > 0 ? messages / seconds : 0;
    }

    /** A progress line, such as {@code [  3.0/12.0 s] measuring   10 open   41,337 msg/s  p99 0.09 ms  errors 0}. */
    public String toText() {
        return BenchResult.format("[%5.1f/%.1f s] %-9s %5d open %,10.0f msg/s  p99 %.2f ms  errors %d%s", elapsed, total,
                phase, open, messagesPerSecond(), roundTrips.getValueAtPercentile(99) / 1e6, errors,
                late < 0 ? "" : BenchResult.format("  late %d", late));
    }

    /** One JSON object; latencies in microseconds. */
    public String toJson() {
        return BenchResult.format("{\"elapsed\":%.3f,\"phase\":\"%s\",\"open\":%d,\"seconds\":%.6f,\"messages\":%d,"
                        + "\"messagesPerSecond\":%.1f,\"latencyMicros\":%s,\"errors\":%d%s}",
                elapsed, phase, open, seconds, messages, messagesPerSecond(), BenchResult.latencyJson(roundTrips), errors,
                late < 0 ? "" : ",\"late\":" + late);
    }
}
