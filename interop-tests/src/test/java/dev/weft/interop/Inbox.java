package dev.weft.interop;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * What a client receives, whichever library's listener fills it, for a test thread to wait on with
 * a bound. Thread-safe.
 */
abstract class Inbox {

    static final long TIMEOUT_SECONDS = 30;

    /** Whole messages in arrival order: a {@link String} per text message, a {@code byte[]} per binary one. */
    final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    /** Pong payloads, decoded as UTF-8. */
    final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    /** {@code "code reason"} once the connection is closed. */
    final CompletableFuture<String> closed = new CompletableFuture<>();

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
