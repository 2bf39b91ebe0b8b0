package dev.weft.cli.connect;

import dev.weft.api.Connection;
import dev.weft.cli.Json;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.stream.Collectors;

/**
 * What {@code weft connect} reports, one call per event, and how it writes each: {@link #human} for
 * a person, {@link #json} for a script. Thread-safe as its {@link Lines} are.
 */
public abstract class ConnectEvents {

    /** Which way a message or a control frame went. */
    public enum Direction {
        SENT, RECEIVED;

        String word() {
            return this == SENT ? "sent" : "received";
        }
    }

    final Lines lines;
    final BinaryFormat format;

    private ConnectEvents(Lines lines, BinaryFormat format) {
        this.lines = lines;
        this.format = format;
    }

    /**
     * Lines for a person. With a {@code style} (a terminal), what arrives is marked {@code <}, what
     * is sent without being typed {@code >}, and every close is shown; without one (pipes), messages
     * are printed as they are, one a line, and a close only when the server started it or it was not
     * normal.
     */
    public static ConnectEvents human(Lines lines, BinaryFormat format, Style style) {
        return new Human(lines, format, style);
    }

    /** One JSON object a line on {@link Lines#out}, for every event, sent messages included. */
    public static ConnectEvents json(Lines lines, BinaryFormat format) {
        return new JsonLines(lines, format);
    }

    /** The connection opened. */
    public abstract void open(URI url, Connection connection);

    /** A text message. */
    public abstract void text(Direction direction, String text);

    /** A binary message. */
    public abstract void binary(Direction direction, ByteBuffer data);

    /** A ping (shown only with {@code --show-ping-pong}). */
    public abstract void ping(Direction direction, ByteBuffer payload);

    /** A pong (shown only with {@code --show-ping-pong}). */
    public abstract void pong(Direction direction, ByteBuffer payload);

    /**
     * The connection closed.
     *
     * @param byServer whether the server sent the first close frame
     */
    public abstract void close(boolean byServer, int code, String reason);

    /** The connection failed: {@code message} says how, with no {@code weft:} before it. */
    public abstract void error(String message);

    /** A line about what happens, for a person only: reconnect attempts, the handshake with {@code -v}. */
    public void note(String line) {
        lines.err(line);
    }

    /** {@code 1000} or {@code 4000 not today}. */
    static String closeStatus(int code, String reason) {
        return reason.isEmpty() ? Integer.toString(code) : code + " " + reason;
    }

    /** {@code subprotocol: chat, extensions: none}. */
    public static String agreed(Connection connection) {
        String extensions = connection.extensions().isEmpty() ? "none"
                : connection.extensions().stream().map(Object::toString).collect(Collectors.joining(", "));
        return "subprotocol: " + connection.subprotocol().orElse("none") + ", extensions: " + extensions;
    }

    private static final class Human extends ConnectEvents {
        private final Style style;

        Human(Lines lines, BinaryFormat format, Style style) {
            super(lines, format);
            this.style = style;
        }

        @Override
        public void open(URI url, Connection connection) {
            note("connected to " + url + " (" + agreed(connection) + ")");
        }

        @Override
        public void text(Direction direction, String text) {
            arrived(direction, text);
        }

        @Override
        public void binary(Direction direction, ByteBuffer data) {
            arrived(direction, format.summary(data));
        }

        /** What was sent was typed (or given with -x): only what arrives is printed. */
        private void arrived(Direction direction, String line) {
            if (direction == Direction.RECEIVED) {
                lines.out(style == null ? line : style.received(line));
            }
        }

        @Override
        public void ping(Direction direction, ByteBuffer payload) {
            control(direction, "ping", payload);
        }

        @Override
        public void pong(Direction direction, ByteBuffer payload) {
            control(direction, "pong", payload);
        }

        /** {@code < ping: hello} on a terminal; {@code received ping: hello} on standard error otherwise. */
        private void control(Direction direction, String kind, ByteBuffer payload) {
            String what = payload.hasRemaining() ? kind + ": " + format.payload(payload) : kind;
            if (style == null) {
                lines.err(direction.word() + " " + what);
            } else {
                lines.out(direction == Direction.SENT ? style.sent(what) : style.received(what));
            }
        }

        @Override
        public void close(boolean byServer, int code, String reason) {
            boolean normal = code == 1000 || code == 1001;
            if (style != null || byServer || !normal) {
                note("closed: " + closeStatus(code, reason));
            }
        }

        @Override
        public void error(String message) {
            lines.err(style == null ? "weft: " + message : style.error("weft: " + message));
        }

        @Override
        public void note(String line) {
            lines.err(style == null ? line : style.notice(line));
        }
    }

    private static final class JsonLines extends ConnectEvents {

        JsonLines(Lines lines, BinaryFormat format) {
            super(lines, format);
        }

        @Override
        public void open(URI url, Connection connection) {
            String extensions = connection.extensions().stream().map(e -> Json.quote(e.toString()))
                    .collect(Collectors.joining(",", "[", "]"));
            lines.out("{\"event\":\"open\",\"url\":" + Json.quote(url.toString())
                    + ",\"subprotocol\":" + connection.subprotocol().map(Json::quote).orElse("null")
                    + ",\"extensions\":" + extensions + "}");
        }

        @Override
        public void text(Direction direction, String text) {
            lines.out(start("text", direction) + ",\"text\":" + Json.quote(text) + "}");
        }

        @Override
        public void binary(Direction direction, ByteBuffer data) {
            bytes("binary", direction, data);
        }

        @Override
        public void ping(Direction direction, ByteBuffer payload) {
            bytes("ping", direction, payload);
        }

        @Override
        public void pong(Direction direction, ByteBuffer payload) {
            bytes("pong", direction, payload);
        }

        private void bytes(String event, Direction direction, ByteBuffer data) {
            lines.out(start(event, direction) + ",\"" + format.key() + "\":" + Json.quote(format.encode(data)) + "}");
        }

        private static String start(String event, Direction direction) {
            return "{\"event\":\"" + event + "\",\"direction\":\"" + direction.word() + "\"";
        }

        @Override
        public void close(boolean byServer, int code, String reason) {
            lines.out("{\"event\":\"close\",\"by\":\"" + (byServer ? "server" : "client") + "\",\"code\":" + code
                    + ",\"reason\":" + Json.quote(reason) + "}");
        }

        @Override
        public void error(String message) {
            lines.out("{\"event\":\"error\",\"message\":" + Json.quote(message) + "}");
        }
    }
}
