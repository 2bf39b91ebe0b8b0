package dev.weft.core.session;

import dev.weft.api.ConnectionState;

/**
 * Where a session stands in the close dance of RFC 6455 §7, in one place. Loop-confined, except
 * that {@link #get()} is readable from any thread.
 *
 * <h2>Theory of operation</h2>
 * The public state only moves forward: {@code CONNECTING → OPEN → CLOSING → CLOSED}. Each half of
 * the connection closes on its own before the whole does: <b>input</b> closes when a close frame
 * arrives, when this end fails the connection, or when the peer's byte stream ends, and nothing
 * read after that is decoded; <b>output</b> closes when this end's close frame is written, and no
 * frame follows it.
 * <ul>
 * <li>{@code start} opens the session and calls {@code onOpen}.
 * <li>A local {@code close()} sends a close frame and moves to CLOSING; the peer's answering close
 *     frame moves to CLOSED. If it does not come within the close timeout, the transport is
 *     aborted and the handler sees 1006.
 * <li>A close frame from the peer while OPEN is echoed, and the session is CLOSED at once.
 * <li>A protocol violation by the peer, an extension failure or a handler exception
 *     <em>fails</em> the connection (RFC 6455 §7.1.7): a close frame with the matching code, then
 *     CLOSED.
 * <li>End of input before the close handshake, an abort, the idle timeout or a transport failure
 *     go straight to CLOSED with 1006.
 * </ul>
 * On entering CLOSED the extensions are closed and the transport is closed: at once by a server
 * (RFC 6455 §7.1.1 has the server close TCP first), after the server's own close, or the close
 * timeout, by a client.
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

    /** A local close frame was written: CLOSING until the peer answers (unless already CLOSED). */
    void closing() {
        closeSent = true;
        if (state != ConnectionState.CLOSED) {
            state = ConnectionState.CLOSING;
        }
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
