package dev.weft.core.session;

import dev.weft.api.WebSocketConfig;

/**
 * A session's four deadlines, set on its loop's clock: the idle timeout (no input at all), the
 * keep-alive interval (a ping while open), the message timeout (a data message the peer started
 * and has not finished) and the close timeout (the close handshake, or a client waiting for the
 * server to close TCP). Each fires into its {@link Owner}. Loop-confined.
 */
final class SessionTimers {

    /** What the session does when a deadline passes. */
    interface Owner {
        /** No input within the idle timeout. */
        void idleTimedOut();

        /** Time for a keep-alive ping; the next is scheduled after it. */
        void keepAlive();

        /** The message in progress took longer than the message timeout. */
        void messageTimedOut();

        /** The close timeout passed. */
        void closeTimedOut();
    }

    private final Scheduler scheduler;
    private final WebSocketConfig config;
    private final Inbound inbound;
    private final Owner owner;
    private long lastInputNanos;
    private Scheduler.Timer idle;
    private Scheduler.Timer keepAlive;
    private Scheduler.Timer message;
    /** Which message {@link #message} times, by {@link Inbound#messagesStarted()}. */
    private long timedMessage;
    private Scheduler.Timer close;
    /** Set once the session closed: no message is timed any more. */
    private boolean stopped;

    SessionTimers(Scheduler scheduler, WebSocketConfig config, Inbound inbound, Owner owner) {
        this.scheduler = scheduler;
        this.config = config;
        this.inbound = inbound;
        this.owner = owner;
    }

    /** The session opened: the idle and keep-alive clocks start. */
    void start() {
        lastInputNanos = scheduler.nanoTime();
        if (!config.idleTimeout().isZero()) {
            idle = scheduler.schedule(this::checkIdle, config.idleTimeout().toNanos());
        }
        if (!config.keepAliveInterval().isZero()) {
            keepAlive = scheduler.schedule(this::keepAlive, config.keepAliveInterval().toNanos());
        }
    }

    /** Input arrived now; returns the time, on the loop's clock. */
    long inputArrived() {
        lastInputNanos = scheduler.nanoTime();
        return lastInputNanos;
    }

    /** Times the data message in progress, unless a timer already runs for it. */
    void timeMessage() {
        if (message == null && !stopped && inbound.timesMessages() && inbound.messageInProgress()) {
            timedMessage = inbound.messagesStarted();
            long left = inbound.messageStartNanos() + config.messageTimeout().toNanos() - scheduler.nanoTime();
            message = scheduler.schedule(this::checkMessage, left);
        }
    }

    /** Starts (or starts again) the close timeout. */
    void startCloseTimer() {
        close = scheduler.schedule(owner::closeTimedOut, config.closeTimeout().toNanos());
    }

    void cancelCloseTimer() {
        cancel(close);
    }

    /** The session closed: nothing more is timed, but a client's wait for TCP to close. */
    void cancelAll() {
        stopped = true;
        cancel(close);
        cancel(idle);
        cancel(keepAlive);
        cancel(message);
    }

    private void checkIdle() {
        long timeout = config.idleTimeout().toNanos();
        long silent = scheduler.nanoTime() - lastInputNanos;
        if (silent >= timeout) {
            owner.idleTimedOut();
        } else {
            idle = scheduler.schedule(this::checkIdle, timeout - silent);
        }
    }

    private void keepAlive() {
        owner.keepAlive();
    }

    /** Called by {@link Owner#keepAlive()} to schedule the next ping. */
    void nextKeepAlive() {
        keepAlive = scheduler.schedule(this::keepAlive, config.keepAliveInterval().toNanos());
    }

    private void checkMessage() {
        message = null;
        if (stopped) {
            return;
        }
        if (inbound.messageInProgress() && inbound.messagesStarted() == timedMessage) {
            owner.messageTimedOut();
        } else {
            timeMessage(); // a later message is in progress: timed from its own start
        }
    }

    private static void cancel(Scheduler.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }
}
