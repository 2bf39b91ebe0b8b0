package dev.weft.core.test;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketException;
import dev.weft.api.WebSocketHandler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A handler that records every event as a short string ("open", "text:hi", "binary:0a0b",
 * "ping:", "close:1000:bye", "error:1002"), so a test can assert the exact sequence. Optionally
 * echoes messages back, as the test-suite "testee" contract asks.
 */
public class Recorder implements WebSocketHandler {

    private final List<String> events = new ArrayList<>();
    private final boolean echo;
    private Connection connection;

    protected Recorder(boolean echo) {
        this.echo = echo;
    }

    /** Records only. */
    public static Recorder recording() {
        return new Recorder(false);
    }

    /** Records and echoes every text and binary message. */
    public static Recorder echoing() {
        return new Recorder(true);
    }

    /** The events so far. */
    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    /** The events so far, then forgets them. */
    public synchronized List<String> take() {
        List<String> copy = List.copyOf(events);
        events.clear();
        return copy;
    }

    /** Asserts the events so far equal {@code expected}, then forgets them. */
    public void assertEvents(String... expected) {
        assertEquals(List.of(expected), take());
    }

    /** The connection given to {@link #onOpen}. */
    public Connection connection() {
        return connection;
    }

    protected synchronized void record(String event) {
        events.add(event);
    }

    @Override
    public void onOpen(Connection connection) {
        this.connection = connection;
        record("open");
    }

    @Override
    public void onText(Connection connection, String text) {
        record("text:" + text);
        if (echo) {
            connection.sendText(text);
        }
    }

    @Override
    public void onBinary(Connection connection, ByteBuffer data) {
        record("binary:" + hex(data));
        if (echo) {
            connection.sendBinary(data);
        }
    }

    @Override
    public void onPing(Connection connection, ByteBuffer data) {
        record("ping:" + new String(bytes(data), StandardCharsets.UTF_8));
    }

    @Override
    public void onPong(Connection connection, ByteBuffer data) {
        record("pong:" + new String(bytes(data), StandardCharsets.UTF_8));
    }

    @Override
    public void onClose(Connection connection, int code, String reason) {
        record("close:" + code + ":" + reason);
    }

    @Override
    public void onError(Connection connection, Throwable error) {
        record("error:" + (error instanceof WebSocketException w ? Integer.toString(w.closeCode())
                : error.getClass().getSimpleName()));
    }

    /** Lower-case hex of a buffer's remaining bytes; long ones are summarised by length. */
    public static String hex(ByteBuffer data) {
        byte[] b = bytes(data);
        return b.length <= 32 ? HexFormat.of().formatHex(b) : b.length + " bytes";
    }

    private static byte[] bytes(ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.duplicate().get(b);
        return b;
    }
}
