package dev.weft.api;

import java.nio.ByteBuffer;

/**
 * A handler that takes whole text messages as their UTF-8 bytes instead of as a {@code String}:
 * for an application that forwards, stores or parses bytes, the decoding (and a second copy of the
 * message) is saved. A handler that implements this interface gets {@link #onUtf8Text}, never
 * {@link #onText}. The bytes have been validated as the protocol requires (RFC 6455 §8.1), so they
 * can be sent on as they are with {@link Connection#sendUtf8Text} or
 * {@link Connection#trySendUtf8Text}. A handler that is also a {@link PartialMessageHandler} takes
 * text in parts instead.
 */
public interface Utf8TextHandler extends WebSocketHandler {

    /**
     * A whole text message arrived.
     *
     * @param utf8 the message's UTF-8 bytes, from position to limit; the buffer belongs to the
     *     handler
     */
    void onUtf8Text(Connection connection, ByteBuffer utf8);
}
