package dev.weft.core.frame;

import dev.weft.api.WebSocketException;

/** The peer broke RFC 6455 in the way {@link #violation()} names. */
public final class ProtocolViolationException extends WebSocketException {

    private static final long serialVersionUID = 1L;

    private final ProtocolViolation violation;

    ProtocolViolationException(ProtocolViolation violation, String message) {
        super(violation.closeCode(), message);
        this.violation = violation;
    }

    /** Which rule was broken. */
    public ProtocolViolation violation() {
        return violation;
    }

    // Violations are expected input from hostile peers; a stack trace says nothing about them.
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
