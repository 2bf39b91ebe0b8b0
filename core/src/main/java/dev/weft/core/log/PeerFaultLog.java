package dev.weft.core.log;

import java.net.InetSocketAddress;

import static java.lang.System.Logger.Level.INFO;

/**
 * Logs, at INFO on the logger {@code dev.weft.peer}, each connection this process closes or refuses
 * because of what its peer did (bad input, a limit, the memory budget, a bad or stalled opening
 * handshake, a connection cap) and each upgrade request it answers with an HTTP error: the peer's
 * address and the reason. Rate-limited, so that a flood of bad peers cannot flood the log: at most
 * {@link #PER_SECOND} lines a second, and the next line logged says how many were left out. A
 * connection that has an {@link AccessLog access line} gets that line instead, under the same
 * rate, so that one close makes one line. Thread-safe.
 */
public final class PeerFaultLog {

    static final int PER_SECOND = 20;
    private static final System.Logger LOG = System.getLogger("dev.weft.peer");
    private static final LogRate RATE = new LogRate(PER_SECOND, System.nanoTime());

    private PeerFaultLog() {
    }

    /** A WebSocket connection closed with {@code code} for what its peer did. */
    public static void closed(Object peer, int code, String reason) {
        log(LOG, peer(peer) + " closed with " + code + ": " + reason);
    }

    /** A connection refused before it became a WebSocket (an HTTP error, or a TCP close). */
    public static void refused(Object peer, String reason) {
        log(LOG, peer(peer) + " refused: " + reason);
    }

    /** {@code 127.0.0.1:5000} for a socket address, rather than its {@code /127.0.0.1:5000}. */
    static String peer(Object peer) {
        return peer instanceof InetSocketAddress a ? a.getHostString() + ":" + a.getPort() : String.valueOf(peer);
    }

    /** Logs {@code line} on {@code log} at INFO unless over the rate shared by every peer fault. */
    static void log(System.Logger log, String line) {
        if (!log.isLoggable(INFO)) {
            return;
        }
        long leftOut = RATE.admit(System.nanoTime());
        if (leftOut != LogRate.LEAVE_OUT) {
            log.log(INFO, line + (leftOut > 0 ? " (" + leftOut + " such lines left out)" : ""));
        }
    }
}
