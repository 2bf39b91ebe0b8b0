package dev.weft.interop;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A Weft handler that records what a connection receives, for a test thread to wait on. Thread-safe. */
final class WeftRecorder implements WebSocketHandler {

    static final long TIMEOUT_SECONDS = 30;

    /** Whole messages in arrival order: a {@link String} per text message, a {@code byte[]} per binary one. */
    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    /** Pong payloads, decoded as UTF-8. */
    private final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    /** {@code "code reason"} once the connection is closed. */
    final CompletableFuture<String> closed = new CompletableFuture<>();
    /** Completes when {@code onError} is called. */
    final CompletableFuture<Throwable> error = new CompletableFuture<>();

    @Override
    public void onText(Connection connection, String text) {
        messages.add(text);
    }

    @Override
    public void onBinary(Connection connection, ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        messages.add(bytes);
    }

    @Override
    public void onPong(Connection connection, ByteBuffer data) {
        pongs.add(StandardCharsets.UTF_8.decode(data).toString());
    }

    @Override
    public void onError(Connection connection, Throwable cause) {
        error.complete(cause);
    }

    @Override
    public void onClose(Connection connection, int code, String reason) {
        closed.complete(code + " " + reason);
    }

    /** The next text message. */
    String nextText() throws InterruptedException {
        return assertInstanceOf(String.class, next());
    }

    /** The next binary message. */
    byte[] nextBinary() throws InterruptedException {
        return assertInstanceOf(byte[].class, next());
    }

    /** The next pong's payload. */
    String nextPong() throws InterruptedException {
        String pong = pongs.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(pong, "no pong within " + TIMEOUT_SECONDS + " s");
        return pong;
    }

    /** {@code "code reason"} of the close, waiting for it. */
    String awaitClose() throws Exception {
        return closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private Object next() throws InterruptedException {
        Object message = messages.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(message, "no message within " + TIMEOUT_SECONDS + " s");
        return message;
    }
}
