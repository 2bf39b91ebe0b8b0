package dev.weft.transport.nio;

import dev.weft.testing.RawClient;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection caps on real sockets: what a connection over each cap gets, that the refusal is
 * counted, and that a freed slot is taken again. Every peer here is 127.0.0.1.
 */
class ConnectionCapsOverWireTest {

    @Test
    void overTheConnectionCapARequestIsAnswered503WithRetryAfter() throws Exception {
        try (WebSocketServer server = Echo.builder().maxConnections(2).build().start();
             RawClient first = RawClient.upgraded(server.port());
             RawClient second = RawClient.upgraded(server.port());
             RawClient third = new RawClient(server.port())) {
            third.send(RawClient.UPGRADE);
            String head = third.readHead();
            assertTrue(head.startsWith("HTTP/1.1 503 "), head);
            assertTrue(head.contains("\r\nRetry-After: 5\r\n"), head);
            assertTrue(head.contains("\r\nConnection: close\r\n"), head);
            assertEquals("the server is at its connection limit", third.readToEnd());
            assertEquals(1, server.stats().refusedAtConnectionCap());

            first.socket().close();
            awaitValue(1, () -> server.stats().connectionsOpen());
            try (RawClient again = RawClient.upgraded(server.port())) {
                assertEquals(1, server.stats().refusedAtConnectionCap(), "a freed slot is served");
            }
        }
    }

    @Test
    void overTheAddressCapAConnectionIsClosedAtAccept() throws Exception {
        try (WebSocketServer server = Echo.builder().maxConnectionsPerAddress(2).build().start();
             RawClient first = RawClient.upgraded(server.port());
             RawClient second = RawClient.upgraded(server.port());
             RawClient third = new RawClient(server.port())) {
            assertTrue(third.readsEndOfStream(), "closed without an answer");
            assertEquals(1, server.stats().refusedAtAddressCap());
            assertEquals(0, server.stats().refusedAtConnectionCap());

            second.socket().close();
            awaitValue(1, () -> server.stats().connectionsOpen());
            try (RawClient again = RawClient.upgraded(server.port())) {
                assertEquals(1, server.stats().refusedAtAddressCap(), "a freed slot is served");
            }
        }
    }

    @Test
    void overTheHandshakeCapAConnectionIsClosedAtAcceptUntilAHandshakeEnds() throws Exception {
        try (WebSocketServer server = Echo.builder().maxHandshakes(2).build().start();
             RawClient stalling = new RawClient(server.port());
             RawClient slow = new RawClient(server.port());
             RawClient third = new RawClient(server.port())) {
            // The kernel queues connections in order, so the two before it were accepted first.
            assertTrue(third.readsEndOfStream(), "closed without an answer");
            assertEquals(1, server.stats().refusedAtHandshakeCap());

            slow.send(RawClient.UPGRADE);
            assertTrue(slow.readHead().startsWith("HTTP/1.1 101"));
            try (RawClient again = RawClient.upgraded(server.port())) {
                assertEquals(1, server.stats().refusedAtHandshakeCap(), "the finished handshake's slot is taken");
            }
            assertEquals(0, server.stats().refusedAtConnectionCap());
            assertEquals(0, server.stats().refusedAtAddressCap());
        }
    }

    @Test
    void aRefusalInProgressHoldsAHandshakeSlot() throws Exception {
        try (WebSocketServer server = Echo.builder().maxConnections(1).maxHandshakes(2).build().start();
             RawClient served = RawClient.upgraded(server.port());
             RawClient refusedButSilent = new RawClient(server.port());
             RawClient slow = new RawClient(server.port());
             RawClient third = new RawClient(server.port())) {
            // served holds the only connection; refusedButSilent and slow wait to be answered 503.
            assertTrue(third.readsEndOfStream(), "closed without an answer");
            assertEquals(1, server.stats().refusedAtHandshakeCap());
            assertEquals(2, server.stats().refusedAtConnectionCap());

            slow.send(RawClient.UPGRADE);
            assertTrue(slow.readHead().startsWith("HTTP/1.1 503 "));
        }
    }

    /** Waits, with a bound, for a counter that another thread moves (a close is seen on the server's loop). */
    private static void awaitValue(long expected, LongSupplier counter) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (counter.getAsLong() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still " + counter.getAsLong() + ", not " + expected);
            }
            Thread.onSpinWait();
        }
    }
}
