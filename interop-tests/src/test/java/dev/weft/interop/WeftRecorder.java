package dev.weft.interop;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** A Weft handler that records what a connection receives, for a test thread to wait on. Thread-safe. */
final class WeftRecorder extends Inbox implements WebSocketHandler {

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
}
