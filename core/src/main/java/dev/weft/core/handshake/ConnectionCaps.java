package dev.weft.core.handshake;

import dev.weft.api.metrics.WebSocketMetrics;
import dev.weft.api.metrics.WebSocketMetrics.Refusal;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server's caps on connections, decided when each is accepted: how many it serves in all, how
 * many one remote address may hold, and how many may be in their opening handshake. A cap of
 * {@link #OFF} is not checked.
 *
 * <ul>
 * <li>Over the address cap or the handshake cap, a connection is closed at once: reading its
 *     request would take the very resource that is short (a handshake slot), and one address over
 *     its cap is most likely the peer the cap is for.</li>
 * <li>Over the connection cap (with a handshake slot free), its request is read and answered with
 *     503; it holds a handshake slot and an address slot meanwhile, so refusing stays bounded.</li>
 * </ul>
 *
 * Thread-safe: {@link #admit} runs on the accepting thread only (one thread makes each check and
 * the count that follows it a single step, as counts only fall elsewhere); each ticket is used by
 * one thread at a time, its connection's.
 */
public final class ConnectionCaps {

    /** A cap that is not checked. */
    public static final int OFF = 0;

    private final int maxConnections;
    private final int maxPerAddress;
    private final int maxHandshakes;
    private final WebSocketMetrics metrics;
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger handshakes = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    /**
     * @param maxConnections connections served at once, or {@link #OFF}
     * @param maxPerAddress connections one remote address may hold, or {@link #OFF}
     * @param maxHandshakes connections in their opening handshake at once, or {@link #OFF}
     * @param metrics told of each connection a cap turns away, on the accepting thread
     */
    public ConnectionCaps(int maxConnections, int maxPerAddress, int maxHandshakes, WebSocketMetrics metrics) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.maxHandshakes = maxHandshakes;
        this.metrics = metrics;
    }

    /**
     * Decides on a connection just accepted from {@code address}, and counts it.
     *
     * @return what it holds, or null if it must be closed now
     */
    public Ticket admit(InetAddress address) {
        if (maxPerAddress != OFF && perAddress.getOrDefault(address, 0) >= maxPerAddress) {
            metrics.refused(Refusal.ADDRESS_CAP);
            return null;
        }
        if (maxHandshakes != OFF && handshakes.get() >= maxHandshakes) {
            metrics.refused(Refusal.HANDSHAKE_CAP);
            return null;
        }
        boolean full = maxConnections != OFF && served.get() >= maxConnections;
        if (full) {
            metrics.refused(Refusal.CONNECTION_CAP);
        } else {
            served.incrementAndGet();
        }
        handshakes.incrementAndGet();
        if (maxPerAddress != OFF) {
            perAddress.merge(address, 1, Integer::sum);
            return new Ticket(address, full);
        }
        return new Ticket(null, full);
    }

    /** Connections in their opening handshake now, those being refused with 503 included. */
    public int handshakesInProgress() {
        return handshakes.get();
    }

    /** Connections served now (in their handshake or after it), not counting those refused with 503. */
    public int served() {
        return served.get();
    }

    /** What one accepted connection holds of the caps. Used by its connection's thread after {@link #admit}. */
    public final class Ticket {
        private final InetAddress address;
        private final boolean full;
        private boolean handshaking = true;
        private boolean released;

        private Ticket(InetAddress address, boolean full) {
            this.address = address;
            this.full = full;
        }

        /** Whether the server was at its connection cap: the request is answered with 503. */
        public boolean refused() {
            return full;
        }

        /** The opening handshake is answered: frees its handshake slot. Idempotent. */
        public void handshakeOver() {
            if (handshaking) {
                handshaking = false;
                handshakes.decrementAndGet();
            }
        }

        /** The connection is closed: frees all it held. Idempotent. */
        public void release() {
            if (released) {
                return;
            }
            released = true;
            handshakeOver();
            if (!full) {
                served.decrementAndGet();
            }
            if (address != null) {
                // Atomic with the map, so a count never lands in an entry just removed.
                perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
            }
        }
    }
}
