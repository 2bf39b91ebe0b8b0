package dev.weft.core.handshake;

import dev.weft.api.metrics.WebSocketMetrics;
import dev.weft.api.metrics.WebSocketMetrics.Refusal;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caps' decisions and counts, with no sockets: addresses are made up, so several can be used. */
class ConnectionCapsTest {

    private final Map<Refusal, Integer> turnedAway = new EnumMap<>(Refusal.class);
    private final WebSocketMetrics refusals = new WebSocketMetrics() {
        @Override
        public void refused(Refusal cap) {
            turnedAway.merge(cap, 1, Integer::sum);
        }
    };

    @Test
    void eachAddressHasItsOwnCap() throws Exception {
        ConnectionCaps caps = new ConnectionCaps(ConnectionCaps.OFF, 2, ConnectionCaps.OFF, refusals);

        ConnectionCaps.Ticket first = caps.admit(address(1));
        assertNotNull(caps.admit(address(1)));
        assertNull(caps.admit(address(1)), "a third from one address is closed at accept");
        assertNotNull(caps.admit(address(2)), "another address is not affected");
        assertEquals(Map.of(Refusal.ADDRESS_CAP, 1), turnedAway);

        first.release();
        assertNotNull(caps.admit(address(1)), "a released slot can be taken again");
    }

    @Test
    void overTheHandshakeCapAConnectionIsClosedUntilAHandshakeIsOver() throws Exception {
        ConnectionCaps caps = new ConnectionCaps(ConnectionCaps.OFF, ConnectionCaps.OFF, 2, refusals);

        ConnectionCaps.Ticket first = caps.admit(address(1));
        ConnectionCaps.Ticket second = caps.admit(address(2));
        assertNull(caps.admit(address(3)));
        assertEquals(Map.of(Refusal.HANDSHAKE_CAP, 1), turnedAway);

        first.handshakeOver();
        first.handshakeOver();
        assertEquals(1, caps.handshakesInProgress(), "handing over twice frees one slot");
        assertNotNull(caps.admit(address(3)));
        second.release();
        assertEquals(1, caps.handshakesInProgress(), "a close frees the slot of a handshake in progress");
        first.release();
        assertEquals(1, caps.handshakesInProgress(), "a close after the handshake frees no handshake slot");
    }

    @Test
    void overTheConnectionCapAConnectionIsReadAndRefusedHoldingOnlyAHandshakeSlot() throws Exception {
        ConnectionCaps caps = new ConnectionCaps(1, ConnectionCaps.OFF, 2, refusals);

        ConnectionCaps.Ticket served = caps.admit(address(1));
        ConnectionCaps.Ticket refused = caps.admit(address(2));
        assertFalse(served.refused());
        assertTrue(refused.refused(), "over the connection cap: answered 503 once its request is read");
        assertEquals(Map.of(Refusal.CONNECTION_CAP, 1), turnedAway);
        assertEquals(1, caps.served());
        assertEquals(2, caps.handshakesInProgress());
        assertNull(caps.admit(address(3)), "refusals in progress count against the handshake cap");

        refused.release();
        refused.release();
        assertEquals(1, caps.served(), "a refused connection's close frees no served slot");
        served.release();
        assertEquals(0, caps.served());
        assertEquals(0, caps.handshakesInProgress());
        assertFalse(caps.admit(address(1)).refused());
    }

    @Test
    void withEveryCapOffEveryConnectionIsServed() throws Exception {
        ConnectionCaps caps = new ConnectionCaps(ConnectionCaps.OFF, ConnectionCaps.OFF, ConnectionCaps.OFF, refusals);
        for (int i = 0; i < 10_000; i++) {
            assertFalse(caps.admit(address(1)).refused());
        }
        assertEquals(10_000, caps.served());
    }

    private static InetAddress address(int last) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
    }
}
