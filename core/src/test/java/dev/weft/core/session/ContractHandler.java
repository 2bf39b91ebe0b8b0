package dev.weft.core.session;

import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.Frame;
import dev.weft.api.FrameObserver;
import dev.weft.api.PartialMessageHandler;
import dev.weft.api.WebSocketException;
import dev.weft.api.WebSocketHandler;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A handler for the session fuzz targets that checks the order and count of the events it is
 * given, and echoes messages so that the outbound path runs too. A handler that throws fails its
 * connection with 1011, so it does not throw: it keeps the broken rules in {@link #violations()},
 * which the harness asserts empty. Three kinds, since the session takes a different path for each:
 * {@link #whole}, {@link #partial} and {@link #observing}.
 *
 * <p>Rules: {@code onOpen} first and once; {@code onClose} at most once, after {@code onOpen}, and
 * nothing after it; {@code onError} at most once, before {@code onClose}, with a
 * {@link WebSocketException} whose close code {@code onClose} reports; no whole message larger than
 * the maximum message size; a streamed message's parts are of one type, end with one {@code last} part,
 * and split text only between whole code points; observed frames carry no reserved bits, since the
 * extensions that claimed them have decoded them.
 */
class ContractHandler implements WebSocketHandler {

    private final int maxMessageSize;
    private final boolean echo;
    private final List<String> violations = new ArrayList<>();
    private boolean opened;
    private int closeCode = -1;
    private Throwable error;
    /** What was sent back while the connection was open: the payload bytes, and how many messages ended. */
    private final ByteArrayOutputStream echoed = new ByteArrayOutputStream();
    private int echoedMessages;

    private ContractHandler(int maxMessageSize, boolean echo) {
        this.maxMessageSize = maxMessageSize;
        this.echo = echo;
    }

    /** A handler that takes whole messages. */
    static ContractHandler whole(int maxMessageSize, boolean echo) {
        return new ContractHandler(maxMessageSize, echo);
    }

    /** A handler that takes messages as parts ({@link PartialMessageHandler}). */
    static ContractHandler partial(int maxMessageSize, boolean echo) {
        return new Partial(maxMessageSize, echo);
    }

    /** A handler that also watches every frame ({@link FrameObserver}), so data frames are gathered whole. */
    static ContractHandler observing(int maxMessageSize, boolean echo) {
        return new Observing(maxMessageSize, echo);
    }

    /** The rules broken so far. */
    List<String> violations() {
        return violations;
    }

    /** The code {@code onClose} reported, or -1 if it was not called. */
    int closeCode() {
        return closeCode;
    }

    /** What {@code onError} reported, or null. */
    Throwable error() {
        return error;
    }

    /** Records a broken rule. */
    void violation(String rule) {
        violations.add(rule);
    }

    /** Checks that an event may come now. */
    void event(String name) {
        if (!opened) {
            violation(name + " before onOpen");
        }
        if (closeCode != -1) {
            violation(name + " after onClose");
        }
    }

    void checkSize(long size) {
        if (size > maxMessageSize) {
            violation("a message of " + size + " bytes over the maximum of " + maxMessageSize);
        }
    }

    /** The payload bytes echoed while the connection was open, all messages in a row. */
    byte[] echoed() {
        return echoed.toByteArray();
    }

    /** How many messages were echoed whole (their last part, in partial mode) while the connection was open. */
    int echoedMessages() {
        return echoedMessages;
    }

    /**
     * Whether to send this message or part back: when echoing, and while the connection is open
     * (a send is refused once closing starts). Counts what will go out.
     */
    boolean echoNow(Connection connection, byte[] payload, boolean last) {
        if (!echo || connection.state() != ConnectionState.OPEN) {
            return false;
        }
        echoed.writeBytes(payload);
        if (last) {
            echoedMessages++;
        }
        return true;
    }

    @Override
    public void onOpen(Connection connection) {
        if (opened) {
            violation("onOpen twice");
        }
        opened = true;
    }

    @Override
    public void onText(Connection connection, String text) {
        event("onText");
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        checkSize(utf8.length);
        if (echoNow(connection, utf8, true)) {
            connection.sendText(text);
        }
    }

    @Override
    public void onBinary(Connection connection, ByteBuffer data) {
        event("onBinary");
        checkSize(data.remaining());
        if (echoNow(connection, bytes(data), true)) {
            connection.sendBinary(data);
        }
    }

    @Override
    public void onPing(Connection connection, ByteBuffer data) {
        event("onPing");
        if (data.remaining() > 125) {
            violation("a ping of " + data.remaining() + " bytes");
        }
    }

    @Override
    public void onPong(Connection connection, ByteBuffer data) {
        event("onPong");
    }

    @Override
    public void onError(Connection connection, Throwable error) {
        event("onError");
        if (this.error != null) {
            violation("onError twice: " + this.error + ", then " + error);
        }
        this.error = error;
        if (!(error instanceof WebSocketException)) {
            violation("onError with " + error + ", not a WebSocketException");
        }
    }

    @Override
    public void onClose(Connection connection, int code, String reason) {
        event("onClose");
        closeCode = code;
        if (error instanceof WebSocketException w && w.closeCode() != code) {
            violation("onError said " + w.closeCode() + " but onClose " + code);
        }
    }

    private static byte[] bytes(ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(data.position(), b);
        return b;
    }

    /** Takes messages in parts and checks how they are cut. */
    private static final class Partial extends ContractHandler implements PartialMessageHandler {

        /** The type of the message being streamed: 't', 'b', or 0 between messages. */
        private char streaming;

        Partial(int maxMessageSize, boolean echo) {
            super(maxMessageSize, echo);
        }

        @Override
        public void onTextPart(Connection connection, String part, boolean last) {
            event("onTextPart");
            checkPart('t', last);
            if (!part.isEmpty() && (Character.isLowSurrogate(part.charAt(0))
                    || Character.isHighSurrogate(part.charAt(part.length() - 1)))) {
                violation("a text part split inside a code point");
            }
            if (echoNow(connection, part.getBytes(StandardCharsets.UTF_8), last)) {
                connection.sendText(part, last);
            }
        }

        @Override
        public void onBinaryPart(Connection connection, ByteBuffer part, boolean last) {
            event("onBinaryPart");
            checkPart('b', last);
            if (echoNow(connection, bytes(part), last)) {
                connection.sendBinary(part, last);
            }
        }

        // The maximum message size does not bound a streamed message, only each frame.
        private void checkPart(char type, boolean last) {
            if (streaming != 0 && streaming != type) {
                violation("a " + type + " part inside a " + streaming + " message");
            }
            streaming = last ? 0 : type;
        }

        @Override
        public void onText(Connection connection, String text) {
            violation("onText given to a partial handler");
        }

        @Override
        public void onBinary(Connection connection, ByteBuffer data) {
            violation("onBinary given to a partial handler");
        }
    }

    /** Watches frames as well as messages. */
    private static final class Observing extends ContractHandler implements FrameObserver {

        Observing(int maxMessageSize, boolean echo) {
            super(maxMessageSize, echo);
        }

        @Override
        public void onFrame(Connection connection, Frame frame) {
            event("onFrame");
            if (frame.rsv() != 0) {
                violation("an observed frame with reserved bits " + frame.rsv());
            }
        }
    }
}
