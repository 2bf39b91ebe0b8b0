package dev.weft.ext.deflateframe;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A handler that records what a connection saw as short strings ({@code text:Hello},
 * {@code binary:<hex>}, {@code close:1009}), and optionally echoes every message back.
 */
class Events implements WebSocketHandler {

    private final boolean echo;
    private final List<String> events = new ArrayList<>();
    private final List<Object> messages = new ArrayList<>();

    private Events(boolean echo) {
        this.echo = echo;
    }

    static Events recording() {
        return new Events(false);
    }

    static Events echoing() {
        return new Events(true);
    }

    @Override
    public void onText(Connection connection, String text) {
        events.add("text:" + text);
        messages.add(text);
        if (echo) {
            connection.sendText(text);
        }
    }

    @Override
    public void onBinary(Connection connection, ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        events.add("binary:" + HexFormat.of().formatHex(bytes));
        messages.add(bytes);
        if (echo) {
            connection.sendBinary(ByteBuffer.wrap(bytes));
        }
    }

    @Override
    public void onClose(Connection connection, int code, String reason) {
        events.add("close:" + code);
    }

    /** The events so far, which are then forgotten. */
    List<String> take() {
        List<String> taken = List.copyOf(events);
        events.clear();
        return taken;
    }

    /** The messages so far (a String or a byte[] each), which are then forgotten. */
    List<Object> takeMessages() {
        List<Object> taken = List.copyOf(messages);
        messages.clear();
        return taken;
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String hex(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
