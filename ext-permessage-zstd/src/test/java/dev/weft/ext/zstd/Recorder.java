package dev.weft.ext.zstd;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A handler for the in-memory transport that records the messages a connection received (a
 * {@code String} or a {@code byte[]} each) and how it closed, and can echo every message back.
 * Used on one thread.
 */
class Recorder implements WebSocketHandler {

    private final boolean echo;
    private final List<Object> messages = new ArrayList<>();
    private final List<Integer> closeCodes = new ArrayList<>();

    private Recorder(boolean echo) {
        this.echo = echo;
    }

    static Recorder recording() {
        return new Recorder(false);
    }

    static Recorder echoing() {
        return new Recorder(true);
    }

    @Override
    public void onText(Connection connection, String text) {
        messages.add(text);
        if (echo) {
            connection.sendText(text);
        }
    }

    @Override
    public void onBinary(Connection connection, ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        messages.add(bytes);
        if (echo) {
            connection.sendBinary(ByteBuffer.wrap(bytes));
        }
    }

    @Override
    public void onClose(Connection connection, int code, String reason) {
        closeCodes.add(code);
    }

    /** The messages so far, which are then forgotten. */
    List<Object> takeMessages() {
        List<Object> taken = List.copyOf(messages);
        messages.clear();
        return taken;
    }

    /** The close codes reported so far (at most one, if the session keeps its contract). */
    List<Integer> closeCodes() {
        return List.copyOf(closeCodes);
    }
}
