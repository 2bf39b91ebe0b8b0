package dev.weft.transport.nio;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.Message;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeInterceptor;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.HttpResponder;
import dev.weft.api.metrics.WebSocketMetrics;
import dev.weft.core.handshake.ConnectionCaps;
import dev.weft.core.handshake.Routes;
import dev.weft.cluster.Rooms;
import dev.weft.core.session.Broadcast;
import dev.weft.core.session.MemoryBudget;
import dev.weft.core.session.SessionOptions;
import dev.weft.transport.nio.loop.Connections;
import dev.weft.transport.nio.loop.Counters;
import dev.weft.transport.nio.loop.EventLoop;
import dev.weft.transport.nio.loop.NioConnection;
import dev.weft.transport.nio.server.Acceptor;
import dev.weft.transport.nio.server.ServerUpgrade;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * A WebSocket server over TCP. Endpoints are registered by path, each with a handler factory and
 * its own handshake interceptors; plain HTTP requests can be answered by an {@link HttpResponder}.
 * Connections are spread over the event loops of an {@link EventLoopGroup}.
 *
 * <pre>{@code
 * WebSocketServer server = WebSocketServer.builder()
 *         .bind("127.0.0.1", 8080)
 *         .endpoint("/echo", request -> new EchoHandler())
 *         .build()
 *         .start();
 * ...
 * server.shutdown(Duration.ofSeconds(5));  // close 1001, wait, then abort what is left
 * }</pre>
 *
 * <p>Connections are checked against the caps as they are accepted: in all
 * ({@link Builder#maxConnections}), per remote address ({@link Builder#maxConnectionsPerAddress})
 * and in their opening handshake ({@link Builder#maxHandshakes}). When accepting fails (the
 * process is out of file descriptors, say), the server stops accepting for 100 ms, doubling up to
 * 1 s while it keeps failing, and serves the connections it has meanwhile.
 *
 * <p>Thread-safe.
 */
public final class WebSocketServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WebSocketServer.class.getName());

    /** Connections the kernel may queue for accepting; also the default handshake cap. */
    private static final int BACKLOG = 1024;

    private final InetSocketAddress bindAddress;
    private final EventLoopGroup loops;
    private final boolean ownsLoops;
    private final WebSocketConfig config;
    private final TransportConfig transportConfig;
    private final Routes routes;
    private final NetworkLayer.Factory networkLayer;
    private final TransportStats stats;
    /** The server's own counters, then the listener it was given. */
    private final WebSocketMetrics metrics;
    private final SessionOptions sessionOptions;
    private final Rooms rooms;
    private final Connections connections = new Connections();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final ConnectionCaps caps;
    private volatile Acceptor acceptor;
    private volatile InetSocketAddress boundAddress;

    private WebSocketServer(Builder b) {
        this.bindAddress = b.bindAddress;
        this.ownsLoops = b.loops == null;
        this.loops = ownsLoops ? new EventLoopGroup(b.threads, "weft-server") : b.loops;
        this.config = b.config;
        this.transportConfig = b.transportConfig;
        Counters counters = new Counters();
        this.stats = new TransportStats(counters);
        this.metrics = counters.andThen(b.metrics);
        MemoryBudget budget = new MemoryBudget(transportConfig.memoryBudget());
        metrics.memoryBudget(budget);
        this.sessionOptions = SessionOptions.DEFAULT.callbackExecutor(transportConfig.handlerExecutor())
                .metrics(metrics).budget(budget).accessLog(b.accessLog);
        this.routes = b.routes.build(config, connections::isClosing);
        this.rooms = b.rooms;
        rooms.serve(Broadcast::send, open);
        this.networkLayer = b.networkLayer;
        this.caps = new ConnectionCaps(b.maxConnections, b.maxConnectionsPerAddress, b.maxHandshakes, metrics);
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the listening socket and starts accepting.
     *
     * @return this server
     * @throws UncheckedIOException if the address cannot be bound
     */
    public WebSocketServer start() {
        try {
            ServerSocketChannel channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(bindAddress, BACKLOG);
            channel.configureBlocking(false);
            boundAddress = (InetSocketAddress) channel.getLocalAddress();
            EventLoop loop = loops.next();
            Acceptor accepting = new Acceptor(channel, loop, caps, metrics, this::accepted);
            acceptor = accepting;
            CompletableFuture<Void> registered = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    accepting.register();
                    registered.complete(null);
                } catch (IOException e) {
                    registered.completeExceptionally(e);
                }
            });
            registered.get(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bindAddress, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot start accepting on " + bindAddress, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
        LOG.log(INFO, () -> "listening on " + boundAddress.getHostString() + ":" + boundAddress.getPort());
        return this;
    }

    /**
     * The address the server listens on (with the actual port when bound to port 0).
     *
     * @throws IllegalStateException if the server was never started
     */
    public InetSocketAddress localAddress() {
        if (boundAddress == null) {
            throw new IllegalStateException("the server is not started");
        }
        return boundAddress;
    }

    /** The port the server listens on. */
    public int port() {
        return localAddress().getPort();
    }

    /** Live counters, kept whatever {@linkplain Builder#metrics listener} the server was given. */
    public TransportStats stats() {
        return stats;
    }

    /** The server's rooms. */
    public Rooms rooms() {
        return rooms;
    }

    /** Every open WebSocket connection, now (a copy). */
    public Set<Connection> connections() {
        return Set.copyOf(open);
    }

    /**
     * Sends {@code message} to every open connection, encoding its frame once, and, when the
     * server's {@link #rooms() rooms} have a broker, to every connection of the other nodes too.
     *
     * @return how many connections of this server it was handed to
     */
    public int broadcast(Message message) {
        return rooms.broadcastToAll(message, null);
    }

    /**
     * Sends {@code message} to these connections, encoding its frame once.
     *
     * @return how many open connections it was handed to
     */
    public int broadcast(Message message, Iterable<? extends Connection> recipients) {
        return Broadcast.send(message, recipients);
    }

    /**
     * Stops gracefully: stops accepting, closes every WebSocket connection with 1001 (going away)
     * and drops connections still in their handshake, waits up to {@code grace} for the close
     * handshakes, then aborts what is left and stops the event loops it created.
     */
    public synchronized void shutdown(Duration grace) {
        if (connections.isClosing()) {
            return;
        }
        closeAcceptor();
        rooms.stopServing(open);
        connections.closeAll(CloseCodes.GOING_AWAY, "server shutting down", grace);
        if (ownsLoops) {
            loops.close();
        }
    }

    /** Shuts down with a five-second grace period. */
    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }

    // ---------------------------------------------------------------- accepting

    private void accepted(SocketChannel client, InetSocketAddress peer, ConnectionCaps.Ticket ticket) {
        EventLoop loop = loops.next();
        loop.execute(() -> setUp(loop, client, peer, ticket));
    }

    private void setUp(EventLoop loop, SocketChannel channel, InetSocketAddress peer, ConnectionCaps.Ticket ticket) {
        NioConnection tracked = null;
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            NetworkLayer layer = networkLayer.create(Role.SERVER, peer.getHostString(), peer.getPort());
            // Known to the server before the client can see the 101, so a broadcast or a shutdown
            // that follows the client's open always includes it.
            tracked = new NioConnection(loop, channel, transportConfig, metrics, peer, layer,
                    c -> new ServerUpgrade(c, routes, config, sessionOptions, ticket, s -> open.add(s.connection())),
                    c -> closed(c, ticket));
            metrics.socketOpened(); // from here on, its close counts it closed and releases the ticket
            if (!connections.add(tracked)) {
                tracked.abort();
                return;
            }
            NioConnection connection = tracked;
            connection.register(SelectionKey.OP_READ);
            connection.open();
        } catch (IOException | RuntimeException e) {
            // A failing network layer (a misconfigured TLS factory, say) costs this connection only.
            LOG.log(WARNING, "cannot set up an accepted connection", e);
            if (tracked != null) {
                tracked.abort(); // its close gives back what it holds
                return;
            }
            ticket.release();
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing more can be done for it.
            }
        }
    }

    private void closed(NioConnection connection, ConnectionCaps.Ticket ticket) {
        ticket.release();
        metrics.socketClosed();
        Connection session = connection.session() == null ? null : connection.session().connection();
        if (session != null) {
            open.remove(session);
            rooms.leaveAll(session);
            if (session.state() != ConnectionState.CLOSED) {
                // The socket failed and the session learns of it right after this, on this loop
                // turn. A join racing the failure may still have seen the connection open, so it
                // leaves again once closed (Rooms#join undoes any join made after that).
                connection.loop().execute(() -> rooms.leaveAll(session));
            }
        }
        connections.remove(connection);
    }

    private void closeAcceptor() {
        Acceptor accepting = acceptor;
        if (accepting != null) {
            try {
                accepting.close();
            } catch (IOException e) {
                LOG.log(WARNING, "cannot close the listening socket", e);
            }
        }
    }

    /** Builds a {@link WebSocketServer}. Not thread-safe. */
    public static final class Builder {


        private InetSocketAddress bindAddress = new InetSocketAddress("127.0.0.1", 8080);
        private EventLoopGroup loops;
        private int threads = Runtime.getRuntime().availableProcessors();
        private WebSocketConfig config = WebSocketConfig.defaults();
        private TransportConfig transportConfig = TransportConfig.defaults();
        private final Routes.Plan routes = new Routes.Plan();
        private Rooms rooms = new Rooms();
        private NetworkLayer.Factory networkLayer = NetworkLayer.PLAIN;
        private int maxConnections = ConnectionCaps.OFF;
        private int maxConnectionsPerAddress = ConnectionCaps.OFF;
        private int maxHandshakes = BACKLOG;
        private WebSocketMetrics metrics = WebSocketMetrics.NONE;
        private boolean accessLog;

        private Builder() {
        }

        /**
         * The most connections the server serves at once, in their opening handshake or after it
         * (default: 0, no cap). A connection accepted over it has its request read and answered
         * with {@code 503 Service Unavailable}, {@code Retry-After: 5} and a close; while that
         * happens it holds a handshake slot (see {@link #maxHandshakes}), so refusing costs no more
         * than the handshake cap allows. Counted in {@link TransportStats#refusedAtConnectionCap()}.
         *
         * @param max at least 1, or 0 for no cap
         */
        public Builder maxConnections(int max) {
            this.maxConnections = requireCap("maxConnections", max);
            return this;
        }

        /**
         * The most connections one remote IP address may hold at once, in their opening handshake
         * or after it (default: 0, no cap). A connection over it is closed as soon as it is
         * accepted, without reading its request: the peer over its cap is the one the cap is for,
         * and reading its request would take a handshake slot others need. Peers behind one NAT or
         * proxy share an address; set it with that in mind. Counted in
         * {@link TransportStats#refusedAtAddressCap()}.
         *
         * @param max at least 1, or 0 for no cap
         */
        public Builder maxConnectionsPerAddress(int max) {
            this.maxConnectionsPerAddress = requireCap("maxConnectionsPerAddress", max);
            return this;
        }

        /**
         * The most connections in their opening handshake at once, TLS included (default: 1,024).
         * A connection over it is closed as soon as it is accepted: at this cap the server cannot
         * afford to read another request. An honest handshake takes a round trip or two, so the
         * cap binds only when peers connect and then stall (slowloris); it bounds what they hold
         * until the handshake timeout to this many sockets and request heads. The default matches
         * the listen backlog: as many as the kernel queues for accepting. Counted in
         * {@link TransportStats#refusedAtHandshakeCap()}.
         *
         * @param max at least 1, or 0 for no cap
         */
        public Builder maxHandshakes(int max) {
            this.maxHandshakes = requireCap("maxHandshakes", max);
            return this;
        }

        /**
         * Whether to write an access line per WebSocket connection as it closes, at INFO on the
         * logger {@code dev.weft.access} (default: false): the peer's address, the path, the
         * subprotocol and extensions, how long it lasted, messages and bytes each way (frame bytes,
         * as the connection counted them), the close code and reason, and which end closed
         * ({@code local}, {@code remote}, or {@code abnormal} for 1006). A connection closed for
         * its peer's fault gets this line instead of one on {@code dev.weft.peer}, under that
         * logger's rate limit. Counting costs a few field increments per message whether it is on
         * or not; the line is made only when the logger takes INFO.
         */
        public Builder accessLog(boolean on) {
            this.accessLog = on;
            return this;
        }

        /**
         * The layer every connection's bytes pass through (default: plain TCP). The TLS transport
         * provides one for {@code wss://}.
         */
        public Builder networkLayer(NetworkLayer.Factory networkLayer) {
            this.networkLayer = Objects.requireNonNull(networkLayer);
            return this;
        }

        /**
         * The rooms the server uses (default: new ones, of this node only). Create them first to hand
         * them to handler factories, which are declared before the server exists, or to join them to
         * a cluster ({@link Rooms#builder()}). Several servers may share them. The server does not
         * close them.
         */
        public Builder rooms(Rooms rooms) {
            this.rooms = Objects.requireNonNull(rooms);
            return this;
        }

        /**
         * Where the server reports its connections, messages, bytes and refusals, besides its own
         * {@link WebSocketServer#stats() stats()} (default: {@link WebSocketMetrics#NONE}); TLS under
         * this server reports through it too. {@code weft-metrics-micrometer} provides one for
         * Micrometer.
         */
        public Builder metrics(WebSocketMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics);
            return this;
        }

        /** Where to listen (default {@code 127.0.0.1:8080}; port 0 picks a free port). */
        public Builder bind(String host, int port) {
            return bind(new InetSocketAddress(host, port));
        }

        /** Where to listen. */
        public Builder bind(InetSocketAddress address) {
            this.bindAddress = Objects.requireNonNull(address);
            return this;
        }

        /** How many event loops to start (default: available processors); ignored with {@link #eventLoops}. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1: " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Runs on a shared group of event loops, which the server does not stop. */
        public Builder eventLoops(EventLoopGroup loops) {
            this.loops = Objects.requireNonNull(loops);
            return this;
        }

        /** The protocol settings of every connection. */
        public Builder config(WebSocketConfig config) {
            this.config = Objects.requireNonNull(config);
            return this;
        }

        /** Write-queue limits, read pausing, and where callbacks run. */
        public Builder transport(TransportConfig transportConfig) {
            this.transportConfig = Objects.requireNonNull(transportConfig);
            return this;
        }

        /** An interceptor run for every endpoint, before the endpoint's own. */
        public Builder interceptor(HandshakeInterceptor interceptor) {
            routes.interceptor(interceptor);
            return this;
        }

        /**
         * A WebSocket endpoint.
         *
         * @param pattern an exact path ({@code /echo}) or a prefix ending in {@code /*}
         * @param handlers makes a handler for each accepted connection
         * @param interceptors run after the server-wide ones, for this endpoint only
         */
        public Builder endpoint(String pattern, Function<HandshakeRequest, ? extends WebSocketHandler> handlers,
                                HandshakeInterceptor... interceptors) {
            routes.endpoint(pattern, handlers, interceptors);
            return this;
        }

        /** A WebSocket endpoint whose handler comes from {@code handlers} for each connection. */
        public Builder endpoint(String pattern, Supplier<? extends WebSocketHandler> handlers,
                                HandshakeInterceptor... interceptors) {
            Objects.requireNonNull(handlers);
            return endpoint(pattern, request -> handlers.get(), interceptors);
        }

        /** Answers plain HTTP requests (no {@code Upgrade} header), such as a page. */
        public Builder httpResponder(HttpResponder responder) {
            routes.httpResponder(responder);
            return this;
        }

        private static int requireCap(String name, int max) {
            if (max < 0) {
                throw new IllegalArgumentException(name + " must be at least 1, or 0 for no cap: " + max);
            }
            return max;
        }

        /** The server, not started yet. */
        public WebSocketServer build() {
            return new WebSocketServer(this);
        }
    }
}
