package dev.weft.benchmarks.hostile;

/**
 * The server ended an attacker's connection, or refused what the attack needs. The outcome is what
 * the report counts: a close code ({@code "1009"}), {@code "http 431"} for an HTTP answer to the
 * opening handshake, {@link #EOF} for a TCP close without a close frame, or a word for a refusal.
 */
final class ConnectionEnded extends Exception {

    /** The server closed TCP without sending a close frame. */
    static final String EOF = "eof";
    /** The close frame carried no code. */
    static final String NO_CODE = "1005";
    /** The server did not answer the opening handshake in time. */
    static final String NO_ANSWER = "no handshake answer";

    private final String outcome;
    private final boolean permanent;

    private ConnectionEnded(String outcome, boolean permanent) {
        super(outcome, null, false, false);
        this.outcome = outcome;
        this.permanent = permanent;
    }

    /** Ended by the server in the ordinary course; the attacker reconnects. */
    static ConnectionEnded by(String outcome) {
        return new ConnectionEnded(outcome, false);
    }

    /** A close frame with this code. */
    static ConnectionEnded closed(int code) {
        return by(Integer.toString(code));
    }

    /** The server cannot be attacked this way (it did not agree the extension the attack needs): no reconnecting. */
    static ConnectionEnded refused(String why) {
        return new ConnectionEnded(why, true);
    }

    /** What the report counts for this connection. */
    String outcome() {
        return outcome;
    }

    /** Whether reconnecting cannot change it. */
    boolean permanent() {
        return permanent;
    }
}
