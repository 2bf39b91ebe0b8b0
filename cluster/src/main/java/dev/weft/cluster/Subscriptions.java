package dev.weft.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Keeps a node subscribed to exactly the channels it wants: a room's channel while the room has
 * local members, and the channels every node hears. Any thread marks a channel changed; the
 * publishing thread {@link #reconcile reconciles} the marked ones with the broker, reading what is
 * wanted at that moment (so a change is never lost, only merged with the next), and tries again
 * later what the broker failed. {@link #settled()} waits for every change made before it.
 */
final class Subscriptions {

    private final Broker broker;
    private final Predicate<String> wanted;
    private final Consumer<String> subscribedAnew;
    private final Consumer<String> unsubscribed;
    private final Runnable wake;
    private final long retryNanos;
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<CompletableFuture<Void>> settling = new ArrayList<>();
    private boolean finished; // guarded by settling
    private volatile boolean retryNow;
    private long nextRetryNanos = System.nanoTime(); // the publishing thread's

    /**
     * @param wanted whether the node wants a channel now
     * @param subscribedAnew told of each subscription the broker confirmed
     * @param unsubscribed told of each channel as it is left
     * @param wake wakes the publishing thread, to reconcile
     */
    Subscriptions(Broker broker, Predicate<String> wanted, Consumer<String> subscribedAnew,
                  Consumer<String> unsubscribed, Runnable wake, Duration retry) {
        this.broker = broker;
        this.wanted = wanted;
        this.subscribedAnew = subscribedAnew;
        this.unsubscribed = unsubscribed;
        this.wake = wake;
        this.retryNanos = retry.toNanos();
    }

    /** {@code channel} may be wanted or not wanted any more. Any thread. */
    void changed(String channel) {
        dirty.add(channel);
        wake.run();
    }

    /** Whether the node is subscribed to {@code channel}, or has asked to be. */
    boolean has(String channel) {
        return subscribed.contains(channel);
    }

    /** The broker is back: what it failed is tried again at the next reconcile, not after the delay. */
    void retrySoon() {
        retryNow = true;
        wake.run();
    }

    /** Subscribes to the changed channels that are wanted, and unsubscribes from the others. The publishing thread. */
    void reconcile(long now) {
        if (!failed.isEmpty() && (retryNow || now - nextRetryNanos >= 0)) {
            retryNow = false;
            dirty.addAll(failed);
            failed.clear();
            nextRetryNanos = now + retryNanos;
        }
        for (String channel : dirty) {
            dirty.remove(channel);
            boolean wants = wanted.test(channel);
            if (wants && subscribed.add(channel)) {
                track(channel, true, call(() -> broker.subscribe(channel)));
            } else if (!wants && subscribed.remove(channel)) {
                unsubscribed.accept(channel);
                track(channel, false, call(() -> broker.unsubscribe(channel)));
            }
        }
        // Who waits is read before what is pending: a change made before a settled() call is then
        // either still pending here, or was handled above.
        List<CompletableFuture<Void>> waiting;
        synchronized (settling) {
            waiting = List.copyOf(settling);
        }
        if (!waiting.isEmpty() && dirty.isEmpty() && failed.isEmpty() && inFlight.get() == 0) {
            synchronized (settling) {
                settling.removeAll(waiting);
            }
            waiting.forEach(f -> f.complete(null));
        }
    }

    /** Completes once every change made before the call has reached the broker. */
    CompletionStage<Void> settled() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (settling) {
            if (finished) {
                return CompletableFuture.completedFuture(null); // closed: nothing more will reach the broker
            }
            settling.add(done);
        }
        wake.run();
        return done;
    }

    /** No more changes will reach the broker (the rooms closed): whoever waits for them stops waiting. */
    void finish() {
        List<CompletableFuture<Void>> waiting;
        synchronized (settling) {
            finished = true;
            waiting = List.copyOf(settling);
            settling.clear();
        }
        waiting.forEach(f -> f.complete(null));
    }

    private void track(String channel, boolean subscribing, CompletionStage<Void> change) {
        inFlight.incrementAndGet();
        change.whenComplete((v, e) -> {
            if (e == null && subscribing) {
                subscribedAnew.accept(channel);
            }
            if (e != null) {
                // Undo what we believed, and try again later: the broker did not take the change.
                if (subscribing) {
                    subscribed.remove(channel);
                } else {
                    subscribed.add(channel);
                }
                failed.add(channel);
            }
            inFlight.decrementAndGet();
            wake.run();
        });
    }

    /** A broker call that throws instead of failing its future fails the future. */
    static CompletionStage<Void> call(Supplier<CompletionStage<Void>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
