package dev.weft.core.log;

import static java.lang.System.Logger.Level.INFO;

/**
 * The access log: one line per WebSocket connection of a server that asks for it, at INFO on the
 * logger {@code dev.weft.access}, written when the connection closes. A connection closed for its
 * peer's fault is logged under {@link PeerFaultLog}'s rate instead of in a line of its own there,
 * so that a flood of bad peers cannot flood this log either. Thread-safe.
 */
public final class AccessLog {

    /** The logger's name. */
    public static final String LOGGER = "dev.weft.access";
    private static final System.Logger LOG = System.getLogger(LOGGER);

    private AccessLog() {
    }

    /** Whether a line would be written: ask before making one. */
    public static boolean enabled() {
        return LOG.isLoggable(INFO);
    }

    /**
     * Logs one connection's line.
     *
     * @param peerFault whether this end closed it for what the peer did: the line is rate-limited
     */
    public static void closed(String line, boolean peerFault) {
        if (peerFault) {
            PeerFaultLog.log(LOG, line);
        } else {
            LOG.log(INFO, line);
        }
    }

    /** {@code 127.0.0.1:5000} for a socket address. */
    public static String peer(Object address) {
        return PeerFaultLog.peer(address);
    }
}
