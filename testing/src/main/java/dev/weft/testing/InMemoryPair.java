package dev.weft.testing;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeInterceptor;
import dev.weft.api.handshake.Headers;
import dev.weft.core.handshake.ClientHandshake;
import dev.weft.core.handshake.ServerHandshake;

import dev.weft.core.session.SessionOptions;
import dev.weft.testing.loop.ManualScheduler;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A client and a server connected in memory, with a manual clock: the whole protocol, opening
 * handshake included, with no socket and no thread. For testing handlers and extensions:
 *
 * <pre>{@code
 * InMemoryPair pair = InMemoryPair.connect(new EchoHandler(), recorder);
 * pair.client().sendText("hello");
 * pair.flush();                               // deliver everything in flight, both ways
 * assertEquals(List.of("hello"), recorder.texts());
 * pair.advance(Duration.ofMinutes(6));        // idle timeouts fire, deterministically
 * }</pre>
 *
 * Nothing moves until {@link #flush()} or {@link #advance(Duration)} is called, and everything runs
 * on the thread that created the pair (its loop thread). Not thread-safe, except that connection
 * methods may be called from other threads: their work waits for the next {@code flush()}.
 */
public final class InMemoryPair {

    private final ManualScheduler scheduler;
    private final MemoryEnd clientEnd;
    private final MemoryEnd serverEnd;
    private final ClientSide clientSide;
    private final ServerSide serverSide;

    private InMemoryPair(Builder b, WebSocketHandler server, WebSocketHandler client) {
        this.scheduler = new ManualScheduler();
        this.clientEnd = new MemoryEnd(40000);
        this.serverEnd = new MemoryEnd(8080);
        MemoryEnd.connect(clientEnd, serverEnd);
        this.serverSide = new ServerSide(serverEnd, scheduler, b.serverConfig,
                new ServerHandshake(b.serverConfig, b.interceptors), server);
        this.clientSide = new ClientSide(clientEnd, scheduler, b.clientConfig,
                new ClientHandshake(b.uri, b.clientHeaders, b.clientConfig, new SecureRandom()), client);
        this.serverSide.options = SessionOptions.DEFAULT.budget(b.serverBudget == null ? null : b.serverBudget.budget());
        this.clientSide.options = SessionOptions.DEFAULT.budget(b.clientBudget == null ? null : b.clientBudget.budget());
    }

    /** Connects two handlers with default settings and completes the opening handshake. */
    public static InMemoryPair connect(WebSocketHandler server, WebSocketHandler client) {
        return builder().connect(server, client);
    }

    /** A builder for a pair with chosen settings. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The client's connection.
     *
     * @throws IllegalStateException if the opening handshake did not succeed (the message says why)
     */
    public Connection client() {
        if (clientSide.session() == null) {
            throw new IllegalStateException("no client connection: " + handshakeFailure().orElse("handshake not finished"));
        }
        return clientSide.session().connection();
    }

    /**
     * The server's connection.
     *
     * @throws IllegalStateException if the opening handshake did not succeed
     */
    public Connection server() {
        if (serverSide.session() == null) {
            throw new IllegalStateException("no server connection: " + handshakeFailure().orElse("handshake not finished"));
        }
        return serverSide.session().connection();
    }

    /** Why the opening handshake failed, as the client saw it (or the server refused it), if it did. */
    public Optional<String> handshakeFailure() {
        if (serverSide.rejection() != null) {
            return Optional.of("server refused: " + serverSide.rejection());
        }
        return Optional.ofNullable(clientSide.failure()).map(Throwable::getMessage);
    }

    /** How many timers are set and not yet fired or cancelled: none once both ends have closed. */
    public int activeTimers() {
        return scheduler.activeTimers();
    }

    /** Runs pending tasks and delivers bytes both ways until nothing is left in flight. */
    public void flush() {
        MemoryEnd.pump(scheduler, clientEnd, serverEnd);
    }

    /** Moves the clock forward (timers fire in order), delivering bytes as they are written. */
    public void advance(Duration delay) {
        flush();
        scheduler.advance(delay);
        flush();
    }

    /** Whether the client's side of the pipe is closed. */
    public boolean clientTransportClosed() {
        return clientEnd.isClosed();
    }

    /** Whether the server's side of the pipe is closed. */
    public boolean serverTransportClosed() {
        return serverEnd.isClosed();
    }

    /** Settings for an {@link InMemoryPair}. Not thread-safe. */
    public static final class Builder {
        private WebSocketConfig serverConfig = WebSocketConfig.defaults();
        private WebSocketConfig clientConfig = WebSocketConfig.defaults();
        private List<HandshakeInterceptor> interceptors = List.of();
        private URI uri = URI.create("ws://127.0.0.1:8080/");
        private Headers clientHeaders = Headers.empty();
        private MemoryLimit serverBudget;
        private MemoryLimit clientBudget;

        private Builder() {
        }

        /** The server's settings (default: {@link WebSocketConfig#defaults()}). */
        public Builder serverConfig(WebSocketConfig config) {
            this.serverConfig = Objects.requireNonNull(config);
            return this;
        }

        /** The client's settings (default: {@link WebSocketConfig#defaults()}). */
        public Builder clientConfig(WebSocketConfig config) {
            this.clientConfig = Objects.requireNonNull(config);
            return this;
        }

        /** Sets both sides' settings. */
        public Builder config(WebSocketConfig config) {
            return serverConfig(config).clientConfig(config);
        }

        /** The server's handshake interceptors. */
        public Builder interceptors(List<HandshakeInterceptor> interceptors) {
            this.interceptors = List.copyOf(interceptors);
            return this;
        }

        /** The URI the client connects to (default {@code ws://127.0.0.1:8080/}). */
        public Builder uri(URI uri) {
            this.uri = Objects.requireNonNull(uri);
            return this;
        }

        /** Extra headers the client sends. */
        public Builder clientHeaders(Headers headers) {
            this.clientHeaders = Objects.requireNonNull(headers);
            return this;
        }

        /** What the server's connection holds counts against {@code limit} (default: no limit). */
        public Builder serverMemoryBudget(MemoryLimit limit) {
            this.serverBudget = Objects.requireNonNull(limit);
            return this;
        }

        /** What the client's connection holds counts against {@code limit} (default: no limit). */
        public Builder clientMemoryBudget(MemoryLimit limit) {
            this.clientBudget = Objects.requireNonNull(limit);
            return this;
        }

        /**
         * Connects the handlers and runs the opening handshake. If it fails, {@link #handshakeFailure()}
         * says why and {@link #client()} throws.
         */
        public InMemoryPair connect(WebSocketHandler server, WebSocketHandler client) {
            InMemoryPair pair = new InMemoryPair(this, server, client);
            pair.flush();
            return pair;
        }
    }
}
