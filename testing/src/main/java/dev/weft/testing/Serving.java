package dev.weft.testing;

import dev.weft.api.WebSocketConfig;
import dev.weft.testing.ServerContract.Running;
import dev.weft.testing.ServerContract.ServerUnderTest;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One server started for one check of the {@link ServerContract}, with the raw clients the check
 * connected and the handler the server made for each connection. Closing it closes the clients and
 * stops the server. Not thread-safe (the handlers are).
 */
final class Serving implements AutoCloseable {

    /**
     * How long a check waits for the server to do something: RawClient's read timeout, and the
     * recorders' wait. Only a broken server makes a check wait this long.
     */
    static final Duration WAIT = Duration.ofSeconds(20);

    /** A check's body, which may throw anything; {@link #check} turns it into an {@link AssertionError}. */
    @FunctionalInterface
    interface Body {
        void run(Serving serving) throws Exception;
    }

    private final BlockingQueue<ContractHandler> made = new LinkedBlockingQueue<>();
    private final List<ContractHandler> handlers = new ArrayList<>();
    private final List<RawClient> clients = new ArrayList<>();
    private final Running running;
    private boolean stopped;

    private Serving(ServerUnderTest server, WebSocketConfig config) throws Exception {
        running = server.start(config, () -> {
            ContractHandler h = new ContractHandler(WAIT);
            made.add(h);
            return h;
        });
    }

    /** A check named {@code name} that starts a server with {@code config}, runs {@code body} and stops it. */
    static Check check(ServerUnderTest server, String name, WebSocketConfig config, Body body) {
        return new Check(name, () -> {
            try (Serving serving = new Serving(server, config)) {
                body.run(serving);
            } catch (AssertionError | RuntimeException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            } catch (Exception e) {
                throw new AssertionError(e.toString(), e);
            }
        });
    }

    /** A new raw client connected to the server, not yet upgraded. */
    RawClient connect() throws IOException {
        RawClient c = new RawClient(running.port());
        clients.add(c);
        return c;
    }

    /** A new raw client upgraded on {@code /echo}. */
    RawClient upgraded() throws IOException {
        RawClient c = connect();
        c.send(RawClient.UPGRADE);
        String head = c.readHead();
        if (!head.startsWith("HTTP/1.1 101 ")) {
            throw new AssertionError("a valid upgrade was answered: " + head);
        }
        return c;
    }

    /** The handler the server made for its next connection, in the order it made them, waiting for it. */
    ContractHandler handler() throws InterruptedException {
        ContractHandler h = made.poll(WAIT.toNanos(), TimeUnit.NANOSECONDS);
        if (h == null) {
            throw new AssertionError("the server made no handler for the connection within " + WAIT);
        }
        handlers.add(h);
        return h;
    }

    /**
     * Stops the server (once): when this returns, the server has run every callback it will, so a
     * check may assert that something happened only once.
     */
    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            running.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while the server stopped", e);
        } catch (Exception e) {
            throw new AssertionError("the server did not stop: " + e, e);
        } finally {
            made.drainTo(handlers);
        }
        for (ContractHandler h : handlers) {
            if (h.opened().isDone() && h.closeCodes().size() != 1) {
                throw new AssertionError("after the server stopped, a connection's handler saw onClose "
                        + h.closeCodes().size() + " times (codes " + h.closeCodes() + "), where once is right");
            }
        }
    }

    /** Closes the raw clients, then stops the server. */
    @Override
    public void close() {
        for (RawClient c : clients) {
            try {
                c.close();
            } catch (IOException e) {
                // Closing is all that is left to do with it.
            }
        }
        stop();
    }
}
