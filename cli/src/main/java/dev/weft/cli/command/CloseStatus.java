package dev.weft.cli.command;

import dev.weft.api.CloseCodes;

/**
 * How a connection ended, as {@link dev.weft.api.WebSocketHandler#onClose} reported it.
 *
 * @param code the close code
 * @param reason the close reason; empty if none
 */
record CloseStatus(int code, String reason) {

    /** Whether the connection ended the way connections are meant to: 1000 or 1001. */
    boolean isNormal() {
        return code == CloseCodes.NORMAL_CLOSURE || code == CloseCodes.GOING_AWAY;
    }

    /** {@code 1000} or {@code 1001 server shutting down}. */
    @Override
    public String toString() {
        return reason.isEmpty() ? Integer.toString(code) : code + " " + reason;
    }
}
