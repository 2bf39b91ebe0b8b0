package dev.weft.core.session;

import dev.weft.api.metrics.WebSocketMetrics;
import dev.weft.core.frame.MaskKeySource;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What a transport gives each of its sessions besides the connection itself: where callbacks run,
 * what hears of events, what bounds memory, and where a client's masking keys come from. Immutable.
 *
 * @param callbackExecutor runs handler callbacks, one at a time and in order, instead of the loop
 *     thread; null for the loop thread. Frames given to a {@link dev.weft.api.FrameObserver} are
 *     then copied first.
 * @param metrics the server's or client's listener; each session asks it for a
 *     {@link dev.weft.api.metrics.ConnectionMetrics} of its own as it is made
 * @param endpoint the pattern of the server endpoint the session belongs to, or null (a client)
 * @param budget what the session's memory is charged to (it may pause reading or close the
 *     session), or null for none
 * @param maskKeys a client's masking keys, or null for a new {@link MaskKeySource#secure()} source per
 *     session (a source is not thread-safe); a server never masks
 * @param accessLog whether each session writes its line to the {@link dev.weft.core.log.AccessLog}
 *     when it closes
 */
public record SessionOptions(Executor callbackExecutor, WebSocketMetrics metrics, String endpoint, MemoryBudget budget,
                             MaskKeySource maskKeys, boolean accessLog) {

    /** Callbacks on the loop thread, no metrics, no budget, secure masking keys, no access log. */
    public static final SessionOptions DEFAULT = new SessionOptions(null, WebSocketMetrics.NONE, null, null, null, false);

    public SessionOptions {
        Objects.requireNonNull(metrics, "metrics");
    }

    public SessionOptions callbackExecutor(Executor executor) {
        return new SessionOptions(executor, metrics, endpoint, budget, maskKeys, accessLog);
    }

    public SessionOptions metrics(WebSocketMetrics listener) {
        return new SessionOptions(callbackExecutor, listener, endpoint, budget, maskKeys, accessLog);
    }

    /** These options for a session of the server endpoint registered as {@code pattern}. */
    public SessionOptions endpoint(String pattern) {
        return new SessionOptions(callbackExecutor, metrics, pattern, budget, maskKeys, accessLog);
    }

    public SessionOptions budget(MemoryBudget memoryBudget) {
        return new SessionOptions(callbackExecutor, metrics, endpoint, memoryBudget, maskKeys, accessLog);
    }

    public SessionOptions maskKeys(MaskKeySource keys) {
        return new SessionOptions(callbackExecutor, metrics, endpoint, budget, keys, accessLog);
    }

    public SessionOptions accessLog(boolean on) {
        return new SessionOptions(callbackExecutor, metrics, endpoint, budget, maskKeys, on);
    }
}
