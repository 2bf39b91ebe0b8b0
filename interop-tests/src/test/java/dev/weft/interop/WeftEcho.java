package dev.weft.interop;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.transport.nio.TransportConfig;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Weft side of the tests against other clients: an echo handler, which on request also answers
 * a few text commands, and the settings those tests share. One handler per connection.
 */
final class WeftEcho implements WebSocketHandler {

    /** Instead of echoing it, closes with {@link #CLOSE_CODE} and {@link #CLOSE_REASON}. */
    static final String CLOSE_COMMAND = "weft, please close";
    static final int CLOSE_CODE = 4001;
    static final String CLOSE_REASON = "asked to";
    /** Instead of echoing it, pings with {@link #PING_DATA}; the pong is reported as a text message. */
    static final String PING_COMMAND = "weft, please ping";
    static final String PING_DATA = "weft ping";
    static final String PONG_REPORT = "weft got pong: ";

    private final boolean commands;
    /** Completes with the connection when it opens. */
    final CompletableFuture<Connection> opened = new CompletableFuture<>();
    /** Completes with {@code "code reason"} when the connection closes. */
    final CompletableFuture<String> closed = new CompletableFuture<>();

    /**
     * @param commands whether to answer the commands below and report pongs; if not, a plain echo
     *     (what the Autobahn suite expects: an unsolicited pong must get no answer)
     */
    WeftEcho(boolean commands) {
        this.commands = commands;
    }

    /**
     * Protocol settings with no extensions (no permessage-deflate yet), frames and messages of up
     * to {@code limit} bytes, and an idle timeout long enough for the slowest peer here.
     */
    static WebSocketConfig config(int limit) {
        return WebSocketConfig.builder()
                .extensions(List.of())
                .maxFrameSize(limit)
                .maxMessageSize(limit)
                .idleTimeout(Duration.ofMinutes(10))
                .build();
    }

    /** A write queue (NIO's) with room for a whole echoed message of {@code limit} bytes. */
    static TransportConfig transport(int limit) {
        return TransportConfig.builder().maxQueuedBytes(2L * limit).build();
    }

    @Override
    public void onOpen(Connection connection) {
        opened.complete(connection);
    }

    @Override
    public void onText(Connection connection, String text) {
        if (!commands) {
            connection.sendText(text);
            return;
        }
        switch (text) {
            case CLOSE_COMMAND -> connection.close(CLOSE_CODE, CLOSE_REASON);
            case PING_COMMAND -> connection.ping(ByteBuffer.wrap(PING_DATA.getBytes(StandardCharsets.UTF_8)));
            default -> connection.sendText(text);
        }
    }

    @Override
    public void onBinary(Connection connection, ByteBuffer data) {
        connection.sendBinary(data);
    }

    @Override
    public void onPong(Connection connection, ByteBuffer data) {
        if (commands) {
            connection.sendText(PONG_REPORT + StandardCharsets.UTF_8.decode(data));
        }
    }

    @Override
    public void onClose(Connection connection, int code, String reason) {
        closed.complete(code + " " + reason);
    }
}
