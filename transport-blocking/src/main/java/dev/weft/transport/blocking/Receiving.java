package dev.weft.transport.blocking;

/**
 * How a {@link BlockingWebSocket} hands over what it receives, chosen when it is made (the engine
 * is set up for one of them). Whichever it is, pings are answered and the close handshake is run
 * for the application.
 */
public enum Receiving {
    /** Whole messages: {@link BlockingWebSocket#receive()}. The default. */
    MESSAGES,
    /**
     * Every frame, data and control, as it arrives (after the negotiated extensions have decoded
     * it): {@link BlockingWebSocket#receiveFrame()}. Each data frame is held whole before it is
     * handed over, so the maximum frame size bounds what one holds.
     */
    FRAMES,
    /**
     * Messages as streams, read while they arrive, never held whole:
     * {@link BlockingWebSocket#receiveStream()}. The maximum message size does not apply.
     */
    STREAMS
}
