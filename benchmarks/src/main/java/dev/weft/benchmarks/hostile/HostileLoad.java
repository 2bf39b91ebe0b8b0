package dev.weft.benchmarks.hostile;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A hostile-load generator for a WebSocket echo server on 127.0.0.1: well-behaved echo clients at a
 * fixed rate, whose latency and errors are measured, beside attackers of every {@link Kind} that
 * reconnect whenever the server closes them, so the pressure stays constant. Runs for a set time,
 * then closes everything and prints a report: the well-behaved clients' latency percentiles and
 * errors, and how the attackers' connections ended, per kind.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.hostile.HostileLoad --port 8080 --duration 600
 * java -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.hostile.HostileLoad --port 8080 --scenario declared-length
 * </pre>
 *
 * The attackers write raw bytes over plain sockets, so nothing in Weft's own client stands between
 * them and the server; the well-behaved clients use Weft's client and {@code weft bench}'s messages.
 * Every count is bounded and the traffic goes to 127.0.0.1 only. Exit status 0 after a run, 2 for
 * a bad command line.
 */
public final class HostileLoad {

    /** How long the end of a run waits for an attacker's thread to notice. */
    private static final long JOIN_MILLIS = 10_000;

    private HostileLoad() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(LoadOptions.USAGE);
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("HostileLoad: " + e.getMessage());
            System.err.println(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        HostileReport report = run(options);
        System.out.println(options.json() ? report.toJson() : report.toText());
    }

    /** Runs the load to its end and reports. */
    static HostileReport run(LoadOptions options) throws InterruptedException {
        // Payloads are compressed before the clock starts: a bomb takes a moment to build.
        Map<Kind, Attack> attacks = new EnumMap<>(Kind.class);
        options.attackers().forEach((kind, count) -> {
            if (count > 0) {
                attacks.put(kind, attack(kind, options));
            }
        });
        Tally tally = new Tally();
        EchoClients echo = options.echoConnections() == 0 ? null : new EchoClients(
                URI.create("ws://" + RawWebSocket.HOST + ":" + options.port() + options.path()),
                options.echoConnections(), options.echoRate(), options.echoSize(), options.echoTimeout());
        Run run = new Run(options.duration());
        long start = System.nanoTime();
        if (echo != null) {
            echo.start();
        }
        List<Thread> attackers = new ArrayList<>();
        attacks.forEach((kind, attack) -> {
            for (int i = 0; i < options.attackers().get(kind); i++) {
                Thread t = new Thread(new AttackerSlot(kind, attack, options.port(), run, tally, options.reconnectPause()),
                        "hostile-" + kind.label() + "-" + i);
                t.setDaemon(true);
                t.start();
                attackers.add(t);
            }
        });
        run.awaitEnd();
        double seconds = (System.nanoTime() - start) / 1e9;
        EchoTally.Summary echoes = echo == null ? null : echo.stop();
        long joinDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
        for (Thread t : attackers) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime())));
        }
        return new HostileReport(options, seconds, echoes, HostileReport.attackers(options, tally));
    }

    /** The attack of one kind, aimed at the server's limit. */
    static Attack attack(Kind kind, LoadOptions o) {
        return switch (kind) {
            case DECLARED_LENGTH -> new DeclaredLength(o.path(), o.limit(), o.trickle());
            case DECLARED_OVERSIZE -> new DeclaredLength(o.path(), o.limit() + 1L, o.trickle());
            // Just under the limit, so the message is held rather than refused: 62 KiB for 64 MiB.
            case COMPRESSED_PARTIAL -> new CompressedPartial(o.path(), o.limit() - o.limit() / 64);
            case DEFLATE_BOMB -> new OneFrameBomb(o.path(), "permessage-deflate", Compressed.deflatedZeros(2L * o.limit()));
            case ZSTD_BOMB -> new OneFrameBomb(o.path(), "permessage-zstd", Compressed.zstdZeros(2L * o.limit()));
            case SLOWLORIS -> new Slowloris(o.path());
            case PING_FLOOD -> new PingFlood(o.path());
            case SLOW_READER -> new SlowReader(o.path(), Math.min(1 << 20, o.limit() / 4));
            case CHURN -> new Churn(o.path());
        };
    }
}
