package dev.weft.api;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A whole WebSocket data message (RFC 6455 §5.6): fragmentation and control frames are hidden at
 * this level. Used where a message is handed around as a value, such as broadcasts.
 */
public sealed interface Message permits Message.Text, Message.Binary {

    /** A text message. */
    static Text text(String text) {
        return new Text(text);
    }

    /** A binary message; the buffer is shared, not copied. */
    static Binary binary(ByteBuffer data) {
        return new Binary(data);
    }

    /**
     * A text message.
     *
     * @param text the text; sent as UTF-8
     */
    record Text(String text) implements Message {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A binary message.
     *
     * @param data the bytes from position to limit; do not change them while the message is in use
     */
    record Binary(ByteBuffer data) implements Message {
        public Binary {
            Objects.requireNonNull(data, "data");
        }
    }
}
