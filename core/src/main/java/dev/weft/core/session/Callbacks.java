package dev.weft.core.session;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;

import java.util.concurrent.Executor;

import static java.lang.System.Logger.Level.WARNING;

/**
 * Calls a connection's handler: on the loop thread, or on a callback executor one at a time and in
 * order. An exception from an ordinary callback fails the connection (with 1011, through
 * {@code handlerFailed}, on the loop thread); one from a final callback ({@code onError},
 * {@code onClose}) can only be logged.
 */
final class Callbacks {

    /** What the session does when a handler callback throws. */
    interface HandlerFailure {
        /** Fails the connection with 1011; called on the loop thread. */
        void handlerFailed(Throwable t);
    }

    private static final System.Logger LOG = System.getLogger(Callbacks.class.getName());

    private final Connection connection;
    private final Scheduler scheduler;
    /** Null when callbacks run on the loop thread. */
    private final Executor executor;
    private final HandlerFailure handlerFailed;
    private boolean errorReported;

    /**
     * @param connection what the handler is given
     * @param scheduler the session's loop
     * @param executor where callbacks run instead of the loop thread, or null
     * @param handlerFailed fails the connection; called on the loop thread
     */
    Callbacks(Connection connection, Scheduler scheduler, Executor executor, HandlerFailure handlerFailed) {
        this.connection = connection;
        this.scheduler = scheduler;
        this.executor = executor == null ? null : new SerialExecutor(executor);
        this.handlerFailed = handlerFailed;
    }

    /** What the handler is given. */
    Connection connection() {
        return connection;
    }

    /** Whether callbacks leave the loop thread: then what they are given must not be reused buffers. */
    boolean offLoop() {
        return executor != null;
    }

    /** Runs a handler callback. */
    void invoke(Runnable callback) {
        if (executor == null) {
            try {
                callback.run();
            } catch (Throwable t) {
                handlerFailed.handlerFailed(t);
            }
        } else {
            executor.execute(() -> {
                try {
                    callback.run();
                } catch (Throwable t) {
                    onLoop(() -> handlerFailed.handlerFailed(t));
                }
            });
        }
    }

    /** A handler method that takes the connection and one argument; one instance serves every connection. */
    interface Delivery<T> {
        void deliver(WebSocketHandler handler, Connection connection, T argument);
    }

    /**
     * Has {@code handler} take {@code argument} through {@code delivery}. On the loop thread
     * nothing is allocated: the per-message path (a shared delivery, a payload) stays free of
     * garbage.
     */
    <T> void invoke(Delivery<T> delivery, WebSocketHandler handler, T argument) {
        if (executor == null) {
            try {
                delivery.deliver(handler, connection, argument);
            } catch (Throwable t) {
                handlerFailed.handlerFailed(t);
            }
        } else {
            invoke(() -> delivery.deliver(handler, connection, argument));
        }
    }

    /** Runs a final callback ({@code onError}, {@code onClose}): an exception from it is logged. */
    void notify(String what, Runnable callback) {
        Runnable guarded = () -> {
            try {
                callback.run();
            } catch (Throwable t) {
                LOG.log(WARNING, what + " threw on " + connection, t);
            }
        };
        if (executor == null) {
            guarded.run();
        } else {
            executor.execute(guarded);
        }
    }

    /** Calls {@code onError} with {@code report}, the first time only: a connection fails once. */
    void reportError(Runnable report) {
        if (!errorReported) {
            errorReported = true;
            notify("onError", report);
        }
    }

    private void onLoop(Runnable action) {
        if (scheduler.inEventLoop()) {
            action.run();
        } else {
            scheduler.execute(action);
        }
    }
}
