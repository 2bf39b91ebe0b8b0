package dev.weft.transport.nio;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketException;
import dev.weft.api.WebSocketHandler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A thread-safe handler that queues every event as a short string ("open", "text:hi",
 * "binary:3", "ping:", "close:1000:bye", "error:1002"), for tests to take in order, waiting with a
 * bound rather than sleeping.
 */
class Events implements WebSocketHandler {

    static final long WAIT_SECONDS = 20;

    final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    final CompletableFuture<Connection> opened = new CompletableFuture<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    /** The next event; fails the test if none comes in time. */
    String next() throws InterruptedException {
        String e = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(e, "no event within " + WAIT_SECONDS + " s");
        return e;
    }

    void expect(String... expected) throws InterruptedException {
        for (String e : expected) {
            assertEquals(e, next());
        }
    }

    /** Skips events until one starts with {@code prefix}, and returns it. */
    String await(String prefix) throws InterruptedException {
        while (true) {
            String e = next();
            if (e.startsWith(prefix)) {
                return e;
            }
        }
    }

    int closeCode() throws Exception {
        return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void onOpen(Connection c) {
        queue.add("open");
        opened.complete(c);
    }

    @Override
    public void onText(Connection c, String text) {
        queue.add("text:" + text);
    }

    @Override
    public void onBinary(Connection c, ByteBuffer data) {
        queue.add("binary:" + data.remaining());
    }

    @Override
    public void onPing(Connection c, ByteBuffer data) {
        queue.add("ping:" + StandardCharsets.UTF_8.decode(data));
    }

    @Override
    public void onPong(Connection c, ByteBuffer data) {
        queue.add("pong:" + StandardCharsets.UTF_8.decode(data));
    }

    @Override
    public void onClose(Connection c, int code, String reason) {
        queue.add("close:" + code + ":" + reason);
        closed.complete(code);
    }

    @Override
    public void onError(Connection c, Throwable error) {
        queue.add("error:" + (error instanceof WebSocketException w ? Integer.toString(w.closeCode())
                : error.getClass().getSimpleName()));
    }
}
