package dev.weft.core.session;

import dev.weft.api.ConnectionState;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The close dance's states and half-close flags, on their own. */
class SessionStateTest {

    private final SessionState state = new SessionState();

    @Test
    void aNewSessionIsConnectingWithBothHalvesOpen() {
        assertEquals(ConnectionState.CONNECTING, state.get());
        assertFalse(state.isOpen());
        assertFalse(state.isClosed());
        assertFalse(state.inputClosed());
        assertFalse(state.inputEnded());
        assertFalse(state.closeSent());
    }

    @Test
    void openMovesToOpenOnceAndASecondOpenThrows() {
        state.open();
        assertEquals(ConnectionState.OPEN, state.get());
        assertTrue(state.isOpen());
        assertThrows(IllegalStateException.class, state::open);
        assertEquals(ConnectionState.OPEN, state.get());
    }

    @Test
    void aLocalCloseSetsCloseSentAndClosingButKeepsReading() {
        state.open();
        state.closing();
        assertEquals(ConnectionState.CLOSING, state.get());
        assertTrue(state.closeSent());
        assertFalse(state.isOpen());
        // The peer's answering close frame is still to be read (RFC 6455 §7.1.2).
        assertFalse(state.inputClosed());
    }

    @Test
    void sendingCloseMarksTheOutputClosedWithoutMovingTheState() {
        state.open();
        state.sendingClose();
        assertTrue(state.closeSent());
        assertEquals(ConnectionState.OPEN, state.get());
        assertFalse(state.inputClosed());
    }

    @Test
    void closeEntersClosedOnceAndClosesInput() {
        state.open();
        assertTrue(state.close());
        assertEquals(ConnectionState.CLOSED, state.get());
        assertTrue(state.isClosed());
        assertTrue(state.inputClosed());
        assertFalse(state.inputEnded());

        assertFalse(state.close());
        assertEquals(ConnectionState.CLOSED, state.get());
    }

    @Test
    void closeInputStopsDecodingWithoutEndingTheStream() {
        state.open();
        state.closeInput();
        assertTrue(state.inputClosed());
        assertFalse(state.inputEnded());
        assertEquals(ConnectionState.OPEN, state.get());
    }

    @Test
    void endInputClosesInputAndLeavesTheStateToTheSession() {
        state.open();
        state.endInput();
        assertTrue(state.inputEnded());
        assertTrue(state.inputClosed());
        assertFalse(state.closeSent());
        assertEquals(ConnectionState.OPEN, state.get());
    }

    @Test
    void thePublicStateOnlyMovesForward() {
        ConnectionState[] seen = new ConnectionState[4];
        seen[0] = state.get();
        state.open();
        seen[1] = state.get();
        state.closing();
        seen[2] = state.get();
        assertThrows(IllegalStateException.class, state::open);
        state.close();
        seen[3] = state.get();
        assertThrows(IllegalStateException.class, state::open);
        state.sendingClose();
        state.closeInput();
        state.endInput();
        state.close();
        assertEquals(ConnectionState.CLOSED, state.get());
        for (int i = 1; i < seen.length; i++) {
            assertTrue(seen[i].compareTo(seen[i - 1]) > 0, seen[i - 1] + " then " + seen[i]);
        }
    }

    @Test
    void aCloseFrameWrittenAfterTheSessionClosedLeavesItClosed() {
        state.open();
        state.close();
        state.closing(); // a close whose writing failed the connection first
        assertEquals(ConnectionState.CLOSED, state.get());
        assertTrue(state.closeSent());
    }

    @Test
    void aSessionThatNeverOpenedCanStillClose() {
        assertTrue(state.close());
        assertEquals(ConnectionState.CLOSED, state.get());
        assertTrue(state.inputClosed());
        assertThrows(IllegalStateException.class, state::open);
    }
}
