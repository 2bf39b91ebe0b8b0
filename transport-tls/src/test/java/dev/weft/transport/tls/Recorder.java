package dev.weft.transport.tls;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A handler that keeps what it receives for a test to wait on with a bound: whole messages in order
 * (a {@link String} per text message, a {@code byte[]} per binary one), errors, and the close.
 * Thread-safe.
 */
class Recorder implements WebSocketHandler {

    static final long WAIT_SECONDS = 30;

    final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    /** {@code "code reason"} once closed. */
    final CompletableFuture<String> closed = new CompletableFuture<>();

    String nextText() throws InterruptedException {
        return assertInstanceOf(String.class, next());
    }

    byte[] nextBinary() throws InterruptedException {
        return assertInstanceOf(byte[].class, next());
    }

    String awaitClose() throws Exception {
        return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private Object next() throws InterruptedException {
        Object message = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(message, "no message within " + WAIT_SECONDS + " s");
        return message;
    }

    @Override
    public void onText(Connection c, String text) {
        messages.add(text);
    }

    @Override
    public void onBinary(Connection c, ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        messages.add(bytes);
    }

    @Override
    public void onError(Connection c, Throwable error) {
        errors.add(error);
    }

    @Override
    public void onClose(Connection c, int code, String reason) {
        closed.complete(code + " " + reason);
    }
}
