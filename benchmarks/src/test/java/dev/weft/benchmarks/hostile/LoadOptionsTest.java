package dev.weft.benchmarks.hostile;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadOptionsTest {

    @Test
    void theMixedScenarioIsTheDefaultAndHasEveryKindBesideEchoClients() {
        LoadOptions o = LoadOptions.parse("--port", "8080");

        assertEquals(Scenario.MIXED, o.scenario());
        assertEquals("/echo", o.path());
        assertEquals(Duration.ofSeconds(60), o.duration());
        assertEquals(10, o.echoConnections());
        assertEquals(64 << 20, o.limit());
        assertEquals(Duration.ofSeconds(1), o.trickle());
        assertTrue(o.attackers().values().stream().allMatch(n -> n > 0), o.attackers().toString());
        assertFalse(o.json());
    }

    @Test
    void theTwoAttacksOfTheIssueRunAloneWithTheirCounts() {
        LoadOptions declared = LoadOptions.parse("--port", "8080", "--scenario", "declared-length");
        assertEquals(5, declared.attackerCount());
        assertEquals(5, declared.attackers().get(Kind.DECLARED_LENGTH));
        assertEquals(0, declared.echoConnections());
        assertEquals(Duration.ZERO, declared.trickle(), "one byte after the header, then nothing");

        LoadOptions partial = LoadOptions.parse("--port", "8080", "--scenario", "compressed-partial");
        assertEquals(4, partial.attackerCount());
        assertEquals(4, partial.attackers().get(Kind.COMPRESSED_PARTIAL));
        assertEquals(0, partial.echoConnections());
    }

    @Test
    void optionsOverrideTheScenarioWhateverTheirOrder() {
        LoadOptions o = LoadOptions.parse("--attackers", "churn=5,slowloris=0", "--duration", "1.5", "--port", "9",
                "--echo-connections", "3", "--trickle-ms", "0", "--json", "--scenario", "declared-length");

        assertEquals(Map.of(Kind.DECLARED_LENGTH, 5, Kind.CHURN, 5), Map.of(Kind.DECLARED_LENGTH,
                o.attackers().get(Kind.DECLARED_LENGTH), Kind.CHURN, o.attackers().get(Kind.CHURN)));
        assertEquals(0, o.attackers().get(Kind.SLOWLORIS));
        assertEquals(10, o.attackerCount());
        assertEquals(Duration.ofMillis(1500), o.duration());
        assertEquals(3, o.echoConnections());
        assertTrue(o.json());
    }

    @Test
    void aBadCommandLineIsRefusedWithTheReason() {
        assertEquals("--port must be 1..65535: 0",
                assertThrows(IllegalArgumentException.class, LoadOptions::parse).getMessage());
        assertEquals("unknown option --prot",
                assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--prot", "1")).getMessage());
        assertEquals("missing value for --port",
                assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--port")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.parse("--port", "1", "--attackers", "teapot=1")).getMessage()
                .startsWith("no attacker kind teapot; the kinds are declared-length, "));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.parse("--port", "1", "--scenario", "calm")).getMessage()
                .startsWith("no scenario calm"));
    }
}
