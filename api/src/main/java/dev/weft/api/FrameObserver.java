package dev.weft.api;

/**
 * An optional hook for a {@link WebSocketHandler} that also wants to see every frame it receives,
 * data and control, after the negotiated extensions have decoded it and before it is assembled
 * into a message or answered. The frame has passed every protocol check.
 *
 * <p>Observing frames makes the connection hold each data frame whole before handing it on, so
 * a frame's text is validated when the frame is complete rather than byte by byte as it arrives.
 */
public interface FrameObserver {

    /**
     * A frame arrived; called in arrival order, before the message-level callbacks it leads to.
     * The frame's payload is read from a buffer the connection reuses: valid during this call only,
     * so copy what you keep.
     */
    void onFrame(Connection connection, Frame frame);
}
