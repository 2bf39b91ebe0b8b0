package dev.weft.benchmarks.hostile;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.ext.permessagedeflate.PerMessageDeflate;
import dev.weft.ext.zstd.PerMessageZstd;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generator run briefly, with one attacker of every kind and two well-behaved clients, against
 * an in-process Weft echo server on 127.0.0.1 with a 1 MiB message limit. Asserts on what the
 * report says happened, never on how long anything took.
 */
class HostileLoadTest {

    private static final int LIMIT = 1 << 20;

    @Test
    void everyKindOfAttackerIsReportedWithHowItsConnectionsEndedBesideIntactEchoes() throws Exception {
        WebSocketConfig config = WebSocketConfig.builder()
                .maxMessageSize(LIMIT).maxFrameSize(LIMIT)
                .handshakeTimeout(Duration.ofSeconds(1))
                .extensions(List.of(new PerMessageDeflate(), new PerMessageZstd()))
                .build();
        Map<Kind, Integer> oneEach = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            oneEach.put(k, 1);
        }
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(2).config(config)
                .endpoint("/echo", Echo::new).build().start()) {
            LoadOptions options = new LoadOptions(server.port(), "/echo", Duration.ofSeconds(5), Scenario.MIXED, oneEach,
                    2, 20, 256, Duration.ofSeconds(10), LIMIT, Duration.ofMillis(200), Duration.ofMillis(50), false);

            HostileReport report = HostileLoad.run(options);

            EchoTally.Summary echoes = report.echoes();
            assertNotNull(echoes);
            assertTrue(echoes.echoes() > 0, report.toText());
            assertEquals(0, echoes.errors(), report.toText());
            assertEquals(Kind.values().length, report.attackers().size(), report.toText());
            report.attackers().forEach((kind, a) -> {
                assertTrue(a.connections() >= 1, kind + ": " + report.toText());
                assertEquals(a.connections(), a.outcomes().values().stream().mapToLong(Long::longValue).sum(),
                        kind + ": every connection has one outcome");
            });
            // "frame or message larger than the configured limit ... close 1009" (DESIGN.md)
            assertTrue(outcomes(report, Kind.DECLARED_OVERSIZE).containsKey("1009"), report.toText());
            assertTrue(outcomes(report, Kind.DEFLATE_BOMB).containsKey("1009"), report.toText());
            assertTrue(outcomes(report, Kind.ZSTD_BOMB).containsKey("1009"), report.toText());
            assertTrue(outcomes(report, Kind.CHURN).containsKey("1000"), report.toText());
            String json = report.toJson();
            assertTrue(json.contains("\"declared-oversize\":{\"count\":1,"), json);
            assertTrue(json.contains("\"1009\":"), json);
        }
    }

    private static Map<String, Long> outcomes(HostileReport report, Kind kind) {
        return report.attackers().get(kind).outcomes();
    }

    /** Echoes every message as it came. */
    private static final class Echo implements WebSocketHandler {
        @Override
        public void onText(Connection connection, String text) {
            connection.sendText(text);
        }

        @Override
        public void onBinary(Connection connection, ByteBuffer data) {
            connection.sendBinary(data);
        }
    }
}
