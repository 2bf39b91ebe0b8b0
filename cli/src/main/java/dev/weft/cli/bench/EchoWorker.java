package dev.weft.cli.bench;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One benchmark connection: keeps {@code inflight} messages on their way to an echo server, checks
 * each echo, and records its round trip. Every callback runs on the connection's loop thread, so the
 * sending state needs no locks; {@link EchoLoad} reads only the counters it shares.
 */
final class EchoWorker implements WebSocketHandler {

    private final EchoLoad load;
    private final EchoPayload payload;
    private final StringBuilder textBuffer;
    /** Send times of the messages on their way, indexed by sequence modulo the window. */
    private final long[] sentAt;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private long nextToSend;
    private long nextToReceive;
    private volatile int onTheirWay;
    private volatile Connection connection;

    EchoWorker(EchoLoad load, EchoPayload payload, int inflight) {
        this.load = load;
        this.payload = payload;
        this.textBuffer = payload.binary() ? null : payload.newTextBuffer();
        this.sentAt = new long[inflight];
    }

    @Override
    public void onOpen(Connection c) {
        connection = c;
        for (int i = 0; i < sentAt.length; i++) {
            send(c);
        }
    }

    @Override
    public void onText(Connection c, String text) {
        received(c, payload.matches(text, nextToReceive));
    }

    @Override
    public void onBinary(Connection c, ByteBuffer data) {
        received(c, payload.matches(data, nextToReceive));
    }

    @Override
    public void onClose(Connection c, int code, String reason) {
        if (!load.stopped()) {
            load.unexpectedClose(code, reason);
        }
        finish();
    }

    /** Whether the connection opened (and so will finish). */
    boolean opened() {
        return connection != null;
    }

    /** Completes when nothing is on its way any more after the load stopped, or the connection closed. */
    CompletableFuture<Void> drained() {
        return drained;
    }

    /** After the load stops: ends now if nothing is on its way (otherwise the last echo ends it). */
    void stopIfIdle() {
        if (onTheirWay == 0) {
            finish();
        }
    }

    /** Closes the connection normally, once the load is over. */
    void close() {
        Connection c = connection;
        if (c != null) {
            c.close(CloseCodes.NORMAL_CLOSURE, "benchmark over");
        }
    }

    private void received(Connection c, boolean intact) {
        long now = System.nanoTime();
        load.echoed(now - sentAt[(int) (nextToReceive % sentAt.length)], intact);
        nextToReceive++;
        onTheirWay--;
        if (!intact) {
            // The stream is out of step: later echoes cannot be matched, so stop using it.
            c.close(CloseCodes.NORMAL_CLOSURE, "benchmark: echo did not match");
            finish();
        } else if (!load.stopped()) {
            send(c);
        } else if (onTheirWay == 0) {
            finish();
        }
    }

    private void send(Connection c) {
        long sequence = nextToSend++;
        sentAt[(int) (sequence % sentAt.length)] = System.nanoTime();
        onTheirWay++;
        var written = payload.binary() ? c.sendBinary(payload.binary(sequence)) : c.sendText(payload.text(textBuffer, sequence));
        written.whenComplete((ok, failure) -> {
            if (failure != null && !load.stopped()) {
                load.sendFailed(failure);
            }
        });
    }

    private void finish() {
        drained.complete(null);
    }
}
