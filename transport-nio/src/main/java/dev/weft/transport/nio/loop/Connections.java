package dev.weft.transport.nio.loop;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.lang.System.Logger.Level.WARNING;

/**
 * The live connections of a server or client, and the way they are all ended: a close handshake
 * with a going-away code, a bounded wait, then an abort of whatever is left. Thread-safe.
 */
public final class Connections {

    private static final System.Logger LOG = System.getLogger(Connections.class.getName());

    private final Set<NioConnection> live = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean closing;

    /** Tracks a new connection; false (and nothing tracked) once closing has begun. */
    public boolean add(NioConnection connection) {
        live.add(connection);
        if (closing) {
            live.remove(connection);
            return false;
        }
        return true;
    }

    public void remove(NioConnection connection) {
        live.remove(connection);
        if (closing && live.isEmpty()) {
            drained.complete(null);
        }
    }

    public boolean isClosing() {
        return closing;
    }

    public int size() {
        return live.size();
    }

    /**
     * Closes every connection with {@code code} (dropping those still in their opening handshake),
     * waits up to {@code grace} for the close handshakes, then aborts what is left.
     */
    public void closeAll(int code, String reason, Duration grace) {
        closing = true;
        // Decided on each connection's own loop, so a handshake completing meanwhile is either
        // refused (it sees closing) or already has a session to close: none slips through.
        for (NioConnection c : live) {
            c.loop().execute(() -> c.goAway(code, reason));
        }
        if (live.isEmpty()) {
            drained.complete(null);
        }
        try {
            drained.get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.log(WARNING, live.size() + " connections still open after " + grace + "; aborting them");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (NioConnection c : live) {
            c.loop().execute(c::abort);
        }
    }
}
