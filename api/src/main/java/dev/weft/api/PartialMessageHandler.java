package dev.weft.api;

import java.nio.ByteBuffer;

/**
 * A handler that takes data messages as ordered parts as they arrive, instead of whole, so a large
 * message never has to be held in memory. A handler that implements this interface gets
 * {@link #onTextPart} and {@link #onBinaryPart}, never {@link #onText} or {@link #onBinary}.
 *
 * <p>Parts arrive in order; every message ends with exactly one part whose {@code last} flag is
 * true (which may be empty). Text parts always end on whole code points: the bytes of a character
 * split across frames or reads are held back and delivered with the next part. The configured
 * maximum message size does not apply (the handler decides what to keep); the maximum frame size
 * and the fragment cap still do.
 */
public interface PartialMessageHandler extends WebSocketHandler {

    /** The next part of a text message. */
    void onTextPart(Connection connection, String part, boolean last);

    /** The next part of a binary message; the buffer belongs to the handler. */
    void onBinaryPart(Connection connection, ByteBuffer part, boolean last);
}
