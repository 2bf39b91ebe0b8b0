package dev.weft.cluster;

/** Bytes that arrived on a room's channel are not an {@link Envelope}; {@code Rooms} drops and counts them. */
public final class MalformedEnvelopeException extends Exception {

    private static final long serialVersionUID = 1L;

    MalformedEnvelopeException(String message) {
        super(message);
    }
}
