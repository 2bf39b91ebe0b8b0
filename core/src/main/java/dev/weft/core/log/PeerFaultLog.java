package dev.weft.core.log;

import static java.lang.System.Logger.Level.INFO;

/**
 * Logs, at INFO on the logger {@code dev.weft.peer}, each connection this process closes or refuses
 * because of what its peer did (bad input, a limit, the memory budget, a bad or stalled opening
 * handshake, a connection cap): the peer's address and the reason. Rate-limited, so that a flood of
 * bad peers cannot flood the log: at most {@link #PER_SECOND} lines a second, and the next line
 * logged says how many were left out. Thread-safe.
 */
public final class PeerFaultLog {

    static final int PER_SECOND = 20;
    private static final System.Logger LOG = System.getLogger("dev.weft.peer");
    private static final LogRate RATE = new LogRate(PER_SECOND, System.nanoTime());

    private PeerFaultLog() {
    }

    /** A WebSocket connection closed with {@code code} for what its peer did. */
    public static void closed(Object peer, int code, String reason) {
        log(peer, "closed with " + code + ": ", reason);
    }

    /** A connection refused before it became a WebSocket (an HTTP error, or a TCP close). */
    public static void refused(Object peer, String reason) {
        log(peer, "refused: ", reason);
    }

    private static void log(Object peer, String what, String reason) {
        if (!LOG.isLoggable(INFO)) {
            return;
        }
        long leftOut = RATE.admit(System.nanoTime());
        if (leftOut != LogRate.LEAVE_OUT) {
            LOG.log(INFO, peer + " " + what + reason + (leftOut > 0 ? " (" + leftOut + " such lines left out)" : ""));
        }
    }
}
