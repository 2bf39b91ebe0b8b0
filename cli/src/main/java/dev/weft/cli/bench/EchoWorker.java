package dev.weft.cli.bench;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One benchmark connection: sends messages to an echo server, checks each echo, and records its
 * round trip. On a closed loop it keeps {@code window} messages on their way, sending the next as
 * each echo comes back, all on the connection's loop thread. On an open loop the {@link Pacer}'s
 * thread sends each message at its scheduled time, as long as fewer than {@code window} are on their
 * way; a message due while the window is full is sent as soon as an echo makes room, and its round
 * trip still counts from its scheduled time (so a slow server is not hidden by the client waiting
 * for it: no coordinated omission). What is owed is only a sequence number, so memory stays fixed
 * however far behind the server falls. Thread-safe: the loop thread, the pacer and the command's
 * thread each take the lock.
 */
final class EchoWorker implements WebSocketHandler {

    private final EchoLoad load;
    private final EchoPayload payload;
    private final StringBuilder textBuffer;
    /**
     * Send times (closed loop) or scheduled times (open loop) of the messages on their way, indexed
     * by sequence modulo the window.
     */
    private final long[] sentAt;
    /** Nanoseconds between this connection's scheduled messages; 0 on a closed loop. */
    private final long interval;
    /** How long after opening this connection's schedule starts, so connections do not send in step. */
    private final long offset;
    private final long createdAt = System.nanoTime();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private Connection connection;
    private boolean closed;
    /** When message 0 is due, on an open loop. */
    private long start;
    private long nextToSend;
    private long nextToReceive;
    private int onTheirWay;
    /** Messages below this sequence fell due while the window was full. */
    private long lateUntil;
    /** Whether the pacer is waiting for an echo to make room. */
    private boolean pacerWaiting;
    /** The first sequence of the measured time. */
    private long mark;
    private long lateSinceMark;

    EchoWorker(EchoLoad load, EchoPayload payload, int window, long interval, long offset) {
        this.load = load;
        this.payload = payload;
        this.textBuffer = payload.binary() ? null : payload.newTextBuffer();
        this.sentAt = new long[window];
        this.interval = interval;
        this.offset = offset;
    }

    @Override
    public synchronized void onOpen(Connection c) {
        long now = System.nanoTime();
        connection = c;
        load.opened(now - createdAt);
        if (interval == 0) {
            for (int i = 0; i < sentAt.length; i++) {
                send(c, System.nanoTime());
            }
        } else {
            start = now + offset;
            load.wakePacer();
        }
    }

    @Override
    public void onText(Connection c, String text) {
        long now = System.nanoTime();
        synchronized (this) {
            received(c, now, payload.matches(text, nextToReceive));
        }
    }

    @Override
    public void onBinary(Connection c, ByteBuffer data) {
        long now = System.nanoTime();
        synchronized (this) {
            received(c, now, payload.matches(data, nextToReceive));
        }
    }

    @Override
    public synchronized void onClose(Connection c, int code, String reason) {
        if (!load.stopped()) {
            load.unexpectedClose(code, reason);
        }
        closed = true;
        load.closed();
        finish();
    }

    /** Whether the connection opened (and so will finish). */
    synchronized boolean opened() {
        return connection != null;
    }

    /**
     * On an open loop, sends every message due by {@code now} that the window has room for.
     *
     * @return when the next message is due, or {@link Long#MAX_VALUE} if nothing can be sent until
     *         the connection opens or an echo makes room (which wakes the pacer)
     */
    synchronized long pace(long now) {
        if (connection == null || closed || load.stopped()) {
            return Long.MAX_VALUE;
        }
        long due = dueBy(now);
        while (nextToSend < due) {
            if (onTheirWay == sentAt.length) {
                lateUntil = due;
                pacerWaiting = true;
                return Long.MAX_VALUE;
            }
            if (nextToSend < lateUntil) {
                load.sentLate();
                if (nextToSend >= mark) {
                    lateSinceMark++;
                }
            }
            send(connection, start + nextToSend * interval);
        }
        return start + nextToSend * interval;
    }

    /**
     * Marks the start of the measured time: the first message sent from now on (closed loop) or
     * the first one scheduled at or after {@code from} (open loop) is the first one counted.
     */
    synchronized void measureFrom(long from) {
        if (interval == 0) {
            mark = nextToSend;
        } else if (connection == null || from <= start) {
            mark = 0;
        } else {
            mark = (from - start + interval - 1) / interval;
        }
        lateSinceMark = 0;
    }

    /**
     * The messages of the measured time, which ends at {@code end}: on an open loop, those
     * scheduled from the mark to {@code end}, sent or not (the pacer may already be past the end).
     */
    synchronized EchoLoad.Sends sendsSinceMark(long end) {
        if (interval == 0) {
            return new EchoLoad.Sends(nextToSend - mark, 0, 0);
        }
        long scheduled = Math.max(0, dueBy(end) - mark);
        long sent = Math.min(Math.max(0, nextToSend - mark), scheduled);
        return new EchoLoad.Sends(sent, Math.min(lateSinceMark, sent), scheduled - sent);
    }

    /** Completes when nothing is on its way any more after the load stopped, or the connection closed. */
    CompletableFuture<Void> drained() {
        return drained;
    }

    /** After the load stops: ends now if nothing is on its way (otherwise the last echo ends it). */
    synchronized void stopIfIdle() {
        if (onTheirWay == 0) {
            finish();
        }
    }

    /** Closes the connection normally, once the load is over. */
    void close() {
        Connection c;
        synchronized (this) {
            c = connection;
        }
        if (c != null) {
            c.close(CloseCodes.NORMAL_CLOSURE, "benchmark over");
        }
    }

    /** How many messages of the open-loop schedule are due by {@code time}. */
    private long dueBy(long time) {
        return connection == null || time < start ? 0 : (time - start) / interval + 1;
    }

    private void received(Connection c, long now, boolean intact) {
        load.echoed(now - sentAt[(int) (nextToReceive % sentAt.length)], intact);
        nextToReceive++;
        onTheirWay--;
        if (!intact) {
            // The stream is out of step: later echoes cannot be matched, so stop using it.
            c.close(CloseCodes.NORMAL_CLOSURE, "benchmark: echo did not match");
            finish();
        } else if (load.stopped()) {
            if (onTheirWay == 0) {
                finish();
            }
        } else if (interval == 0) {
            send(c, System.nanoTime());
        } else if (pacerWaiting) {
            pacerWaiting = false;
            load.wakePacer();
        }
    }

    /** Sends the next message; its round trip will count from {@code from}. */
    private void send(Connection c, long from) {
        long sequence = nextToSend++;
        sentAt[(int) (sequence % sentAt.length)] = from;
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
