package dev.weft.core.session;

import dev.weft.api.ConnectionState;

/**
 * Where a session stands in the close dance of RFC 6455 §7, in one place. Loop-confined, except
 * that {@link #get()} is readable from any thread.
 *
 * <h2>Theory of operation</h2>
 * The public state only moves forward: {@code CONNECTING → OPEN → CLOSING → CLOSED}. Each half of
 * the connection closes on its own before the whole does:
 * <ul>
 * <li><b>input closes</b> when a close frame arrives, when this end fails the connection, or when
 *     the peer's byte stream ends; nothing read after that is decoded;
 * <li><b>output closes</b> when this end's close frame is written; no frame follows it.
 * </ul>
 * A local close writes the close frame and moves to CLOSING; the peer's answer (or a failure, or
 * the close timeout) moves to CLOSED, which closes both halves.
 */
final class SessionState {

    private volatile ConnectionState state = ConnectionState.CONNECTING;
    private boolean inputClosed;
    private boolean inputEnded;
    private boolean closeSent;

    ConnectionState get() {
        return state;
    }

    boolean isOpen() {
        return state == ConnectionState.OPEN;
    }

    boolean isClosed() {
        return state == ConnectionState.CLOSED;
    }

    /** CONNECTING to OPEN. */
    void open() {
        if (state != ConnectionState.CONNECTING) {
            throw new IllegalStateException("already started");
        }
        state = ConnectionState.OPEN;
    }

    /** Whether input is no longer decoded. */
    boolean inputClosed() {
        return inputClosed;
    }

    void closeInput() {
        inputClosed = true;
    }

    /** Whether the peer's byte stream has ended (TCP FIN). */
    boolean inputEnded() {
        return inputEnded;
    }

    void endInput() {
        inputEnded = true;
        inputClosed = true;
    }

    /** Whether this end's close frame has been written: no frame may follow it. */
    boolean closeSent() {
        return closeSent;
    }

    /** This end's close frame is being written (an answer, or a failure's close). */
    void sendingClose() {
        closeSent = true;
    }

    /** A local close frame was written: CLOSING until the peer answers. */
    void closing() {
        closeSent = true;
        state = ConnectionState.CLOSING;
    }

    /**
     * Enters CLOSED, which closes both halves.
     *
     * @return false if the session was closed already
     */
    boolean close() {
        if (state == ConnectionState.CLOSED) {
            return false;
        }
        state = ConnectionState.CLOSED;
        inputClosed = true;
        return true;
    }
}
