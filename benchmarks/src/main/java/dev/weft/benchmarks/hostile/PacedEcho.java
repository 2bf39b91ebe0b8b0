package dev.weft.benchmarks.hostile;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;
import dev.weft.cli.bench.EchoPayload;

import java.util.ArrayDeque;

/**
 * One well-behaved connection: sends {@code weft bench}'s numbered text messages when its lane
 * says so, checks each echo against the message sent, and records the time from when the message
 * was due to be sent (not when it was: a sender held up does not hide the delay) to its echo.
 * Sends come from the pacing thread, echoes and the close on the connection's loop thread.
 */
final class PacedEcho implements WebSocketHandler {

    private final EchoClients.Lane lane;
    private final EchoPayload payload;
    private final EchoTally tally;
    private final int maxOutstanding;
    /** The due times of the messages whose echo has not come, oldest first. Guarded by itself. */
    private final ArrayDeque<Long> outstanding = new ArrayDeque<>();
    private final StringBuilder text;
    private long nextToSend;
    private long nextToReceive;
    private volatile Connection connection;
    private volatile boolean abandoned;

    PacedEcho(EchoClients.Lane lane, EchoPayload payload, EchoTally tally, int maxOutstanding) {
        this.lane = lane;
        this.payload = payload;
        this.tally = tally;
        this.maxOutstanding = maxOutstanding;
        this.text = payload.newTextBuffer();
    }

    @Override
    public void onOpen(Connection c) {
        connection = c;
        lane.opened(this);
    }

    @Override
    public void onText(Connection c, String echo) {
        long now = System.nanoTime();
        Long due;
        synchronized (outstanding) {
            due = outstanding.poll();
        }
        boolean intact = due != null && payload.matches(echo, nextToReceive++);
        tally.echoed(due == null ? 0 : now - due, intact);
        if (!intact) {
            // Out of step: later echoes cannot be matched on this connection.
            abandon();
        }
    }

    @Override
    public void onClose(Connection c, int code, String reason) {
        if (!abandoned && !lane.stopping()) {
            tally.closedUnexpectedly(code);
        }
        lane.replace(this);
    }

    /**
     * Sends the next message, due at {@code due} ({@link System#nanoTime()}); skipped while the
     * connection is not open or already has {@code maxOutstanding} messages on their way.
     */
    void send(long due) {
        Connection c = connection;
        if (c == null || abandoned || !c.isOpen()) {
            return;
        }
        synchronized (outstanding) {
            if (outstanding.size() >= maxOutstanding) {
                return;
            }
            outstanding.add(due);
        }
        c.sendText(payload.text(text, nextToSend++).toString()).whenComplete((ok, failure) -> {
            if (failure != null && !abandoned && !lane.stopping()) {
                tally.sendFailed();
            }
        });
    }

    /** The connection, once open. */
    Connection connection() {
        return connection;
    }

    /** Due time of the oldest message still waiting for its echo, or {@code null}. */
    Long oldestDue() {
        synchronized (outstanding) {
            return outstanding.peek();
        }
    }

    /** Messages still waiting for their echo. */
    int outstanding() {
        synchronized (outstanding) {
            return outstanding.size();
        }
    }

    /** Gives up on this connection (its echoes are late or wrong): aborts it, and the lane opens another. */
    void abandon() {
        abandoned = true;
        Connection c = connection;
        if (c != null) {
            c.abort();
        }
    }
}
