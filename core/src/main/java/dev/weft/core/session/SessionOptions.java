package dev.weft.core.session;

import dev.weft.core.frame.MaskKeySource;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What a transport gives each of its sessions besides the connection itself: where callbacks run,
 * what counts events, what bounds memory, and where a client's masking keys come from. Immutable.
 *
 * @param callbackExecutor runs handler callbacks, one at a time and in order, instead of the loop
 *     thread; null for the loop thread. Frames given to a {@link dev.weft.api.FrameObserver} are
 *     then copied first.
 * @param metrics counts the session's events
 * @param budget what the session's memory is charged to (it may pause reading or close the
 *     session), or null for none
 * @param maskKeys a client's masking keys, or null for a new {@link MaskKeySource#secure()} source per
 *     session (a source is not thread-safe); a server never masks
 */
public record SessionOptions(Executor callbackExecutor, SessionMetrics metrics, MemoryBudget budget,
                             MaskKeySource maskKeys) {

    /** Callbacks on the loop thread, no metrics, no budget, secure masking keys. */
    public static final SessionOptions DEFAULT = new SessionOptions(null, SessionMetrics.NONE, null, null);

    public SessionOptions {
        Objects.requireNonNull(metrics, "metrics");
    }

    public SessionOptions callbackExecutor(Executor executor) {
        return new SessionOptions(executor, metrics, budget, maskKeys);
    }

    public SessionOptions metrics(SessionMetrics counters) {
        return new SessionOptions(callbackExecutor, counters, budget, maskKeys);
    }

    public SessionOptions budget(MemoryBudget memoryBudget) {
        return new SessionOptions(callbackExecutor, metrics, memoryBudget, maskKeys);
    }

    public SessionOptions maskKeys(MaskKeySource keys) {
        return new SessionOptions(callbackExecutor, metrics, budget, keys);
    }
}
