package dev.weft.testing;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;

import java.time.Duration;

/**
 * The handler the {@link ServerContract} serves at {@code /echo}: a {@link Recorder} that echoes,
 * and obeys two text messages, so a check can make the server's side act: {@link #THROW} makes
 * {@code onText} throw, {@link #CLOSE} makes it start the close handshake with 1000. Thread-safe.
 */
final class ContractHandler extends Recorder {

    /** The text that makes the handler throw. */
    static final String THROW = "throw, please";
    /** The text that makes the handler close its connection. */
    static final String CLOSE = "close, please";
    /** The reason the handler gives when asked to close. */
    static final String CLOSE_REASON = "asked to";

    ContractHandler(Duration timeout) {
        super(true);
        timeout(timeout);
    }

    @Override
    public void onText(Connection connection, String text) {
        if (text.equals(THROW)) {
            throw new IllegalStateException("thrown by the contract's handler, as the check asked");
        }
        if (text.equals(CLOSE)) {
            connection.close(CloseCodes.NORMAL_CLOSURE, CLOSE_REASON);
            return;
        }
        super.onText(connection, text);
    }

    /** Waits for {@code onClose} and asserts its code. */
    void expectClose(int code) {
        String close = awaitClose();
        if (!close.startsWith(code + " ")) {
            throw new AssertionError("the server's handler saw onClose with " + close + " where " + code + " is right");
        }
    }

    /** Waits for {@code onClose} and asserts its code and reason. */
    void expectClose(int code, String reason) {
        String close = awaitClose();
        if (!close.equals(code + " " + reason)) {
            throw new AssertionError("the server's handler saw onClose with " + close + " where " + code + " "
                    + reason + " is right");
        }
    }
}
