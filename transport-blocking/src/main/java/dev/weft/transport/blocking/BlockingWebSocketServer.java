package dev.weft.transport.blocking;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.Message;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.HandshakeInterceptor;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.HttpResponder;
import dev.weft.api.tls.ServerTls;
import dev.weft.core.handshake.ConnectionCaps;
import dev.weft.core.handshake.Routes;
import dev.weft.core.handshake.ServerOpening;
import dev.weft.cluster.Rooms;
import dev.weft.core.session.Broadcast;
import dev.weft.transport.blocking.socket.SecureSockets;
import dev.weft.transport.blocking.socket.SocketOpening;
import dev.weft.transport.blocking.socket.SocketSession;
import dev.weft.transport.blocking.socket.Threads;
import dev.weft.transport.blocking.socket.Wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * A WebSocket server with a thread per connection: a virtual thread on Java 21 and later, else a
 * thread of a bounded pool. Each thread runs its connection's opening handshake, then reads and
 * calls the handler, so handlers may block (on a database, say) without holding up any other
 * connection. Endpoints, interceptors, {@link WebSocketConfig}, caps and handlers are those of the
 * NIO server: a {@link WebSocketHandler} moves between the two unchanged.
 *
 * <pre>{@code
 * BlockingWebSocketServer server = BlockingWebSocketServer.builder()
 *         .bind("127.0.0.1", 9001)
 *         .endpoint("/echo", () -> new WebSocketHandler() {
 *             public void onText(Connection c, String text) { c.sendText(text); }
 *         })
 *         .build()
 *         .start();
 * }</pre>
 *
 * <h2>When the threads run out</h2>
 * With platform threads (Java 17 to 20) the pool has {@link Builder#maxThreads} threads. A
 * connection accepted while every one is busy is not queued: a single overflow thread reads its
 * request and answers 503 with {@code Retry-After}, and when that thread is busy too the connection
 * is closed at once. Queueing would hold connections whose clients time out meanwhile; a prompt
 * 503 lets them retry elsewhere.
 */
public final class BlockingWebSocketServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BlockingWebSocketServer.class.getName());
    private static final int BACKLOG = 1024;
    /** Connections the overflow thread may hold waiting for their 503, beyond the one it serves. */
    private static final int OVERFLOW_QUEUE = 64;

    private final InetSocketAddress bindAddress;
    private final WebSocketConfig config;
    private final EndSettings settings;
    private final Routes routes;
    private final ConnectionCaps caps;
    private final ServerTls tls;
    private final Executor threads;
    private final boolean ownsThreads;
    private final ExecutorService overflow;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final Rooms rooms;
    private final boolean accessLog;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger running = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean shuttingDown;
    private volatile ServerSocket listener;

    private BlockingWebSocketServer(Builder b) {
        this.bindAddress = b.bindAddress;
        this.config = b.config;
        this.settings = b.settings(Receiving.MESSAGES);
        this.routes = b.routes.build(config, () -> shuttingDown);
        this.caps = new ConnectionCaps(b.maxConnections, b.maxConnectionsPerAddress, b.maxHandshakes, settings.metrics());
        this.tls = b.tls;
        this.ownsThreads = b.threads == null;
        this.threads = ownsThreads
                ? Threads.virtualThreadsAvailable() ? Threads.perTask("weft-connection-")
                        : Threads.boundedPool("weft-connection-", b.maxThreads)
                : b.threads;
        this.overflow = Threads.singleThreadWithQueue("weft-overflow", OVERFLOW_QUEUE);
        this.rooms = b.rooms;
        this.accessLog = b.accessLog;
        rooms.serve(Broadcast::send, open);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the listening socket and starts accepting on a thread of its own.
     *
     * @return this server
     * @throws UncheckedIOException if the address cannot be bound
     */
    public BlockingWebSocketServer start() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(bindAddress, BACKLOG);
            listener = socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bindAddress, e);
        }
        Thread acceptor = Threads.daemonFactory("weft-accept-" + port() + "-").newThread(this::acceptLoop);
        acceptor.start();
        LOG.log(INFO, () -> "listening on " + localAddress().getHostString() + ":" + port()
                + (onVirtualThreads() ? " (virtual threads)" : ""));
        return this;
    }

    /** The address the server listens on (with the actual port when bound to port 0). */
    public InetSocketAddress localAddress() {
        ServerSocket socket = listener;
        if (socket == null) {
            throw new IllegalStateException("the server is not started");
        }
        return new InetSocketAddress(socket.getInetAddress().getHostAddress(), socket.getLocalPort());
    }

    /** Whether connections run on virtual threads (the default on Java 21 and later, unless threads were given). */
    public boolean onVirtualThreads() {
        return ownsThreads && Threads.virtualThreadsAvailable();
    }

    /** The port the server listens on. */
    public int port() {
        return localAddress().getPort();
    }

    /** Every open WebSocket connection, now (a copy). */
    public Set<Connection> connections() {
        return Set.copyOf(open);
    }

    /** The server's rooms: a connection leaves every room when it closes. */
    public Rooms rooms() {
        return rooms;
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
     * Stops gracefully: stops accepting, closes every WebSocket connection with 1001 (going away),
     * drops connections still in their handshake, waits up to {@code grace} for the close handshakes
     * and the connections' threads, then aborts what is left.
     */
    public void shutdown(Duration grace) {
        synchronized (this) {
            if (shuttingDown) {
                return;
            }
            shuttingDown = true;
        }
        closeQuietly(listener);
        rooms.stopServing(open);
        for (Connection c : open) {
            c.close(CloseCodes.GOING_AWAY, "server shutting down");
        }
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (running.get() > 0 && System.nanoTime() < deadline) {
                // Each connection's thread counts down as it ends; wait for the last one or the deadline.
                stopped.await(Math.min(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50)),
                        TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection c : open) {
            c.abort();
        }
        for (Socket s : sockets) {
            closeQuietly(s); // still in their handshake
        }
        overflow.shutdownNow();
        if (ownsThreads && threads instanceof ExecutorService pool) {
            pool.shutdown();
        }
    }

    /** Shuts down with a five-second grace period. */
    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }

    // ---------------------------------------------------------------- accepting

    private void acceptLoop() {
        ServerSocket socket = listener;
        while (!shuttingDown) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (!shuttingDown) {
                    LOG.log(WARNING, "cannot accept a connection; the server stops accepting", e);
                }
                return;
            }
            admit(client);
        }
    }

    private void admit(Socket client) {
        ConnectionCaps.Ticket ticket = caps.admit(client.getInetAddress());
        if (ticket == null) {
            closeQuietly(client);
            return;
        }
        running.incrementAndGet();
        try {
            threads.execute(() -> serve(client, ticket, request -> routes.route(request, ticket.refused())));
        } catch (RejectedExecutionException full) {
            try {
                overflow.execute(() -> serve(client, ticket, request -> routes.route(request, true)));
            } catch (RejectedExecutionException alsoFull) {
                ticket.release();
                ended();
                closeQuietly(client);
            }
        }
    }

    /** A connection's thread: the opening handshake, then reading until it closes. */
    private void serve(Socket client, ConnectionCaps.Ticket ticket, ServerOpening.Router router) {
        settings.metrics().socketOpened();
        sockets.add(client);
        Connection connection = null;
        try {
            client.setTcpNoDelay(true);
            Socket socket = tls == null ? client : SecureSockets.server(tls, client, config.handshakeTimeout());
            Wire wire = Wire.of(socket);
            ServerOpening.Open accepted;
            try {
                accepted = SocketOpening.serve(wire, new ServerOpening(config, router, wire.remoteAddress()),
                        java.nio.ByteBuffer.allocate(0), config.handshakeTimeout());
            } finally {
                ticket.handshakeOver();
            }
            SocketSession session = SocketSession.over(Role.SERVER, accepted.endpoint().config(), accepted.agreement(),
                    accepted.handler(), wire, settings.sessionOptions().endpoint(accepted.endpoint().name()).accessLog(accessLog),
                    settings.writeTimeout());
            connection = session.connection();
            open.add(connection); // before the 101: a shutdown from here on closes it
            sockets.remove(client);
            session.start(accepted.responseBytes(), accepted.leftover());
            if (shuttingDown) {
                // The shutdown may have found it before it was open, when a close does nothing.
                connection.close(CloseCodes.GOING_AWAY, "server shutting down");
            }
            session.readUntilClosed();
        } catch (HandshakeException refused) {
            // answered and closed; logged by the driver when it was the peer's doing
            if (refused.status() != 0) { // 0: a plain HTTP answer, not a refusal
                settings.metrics().handshakeRefused(refused.status());
            }
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof SocketException) || !shuttingDown) {
                LOG.log(System.Logger.Level.DEBUG, () -> "a connection from " + client.getRemoteSocketAddress()
                        + " ended before it opened: " + e);
            }
            closeQuietly(client);
        } finally {
            if (connection != null) {
                open.remove(connection);
                rooms.leaveAll(connection); // closed by now: no join can follow (Rooms#join)
            }
            sockets.remove(client);
            ticket.release();
            settings.metrics().socketClosed();
            ended();
        }
    }

    private void ended() {
        if (running.decrementAndGet() == 0 && shuttingDown) {
            stopped.countDown();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // Closing is all that is left to do with it.
            }
        }
    }

    /** Settings for a {@link BlockingWebSocketServer}; each has a documented default. */
    public static final class Builder extends EndBuilder<Builder> {

        private InetSocketAddress bindAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private final Routes.Plan routes = new Routes.Plan();
        private int maxConnections = ConnectionCaps.OFF;
        private int maxConnectionsPerAddress = ConnectionCaps.OFF;
        private int maxHandshakes = ConnectionCaps.OFF;
        private int maxThreads = 256;
        private Executor threads;
        private ServerTls tls;
        private Rooms rooms = new Rooms();
        private boolean accessLog;

        private Builder() {
        }

        /**
         * The rooms the server uses (default: new ones, of this node only). Create them first to hand
         * them to handler factories, or to join them to a cluster ({@link Rooms#builder()}). Several
         * servers, of either transport, may share them. The server does not close them.
         */
        public Builder rooms(Rooms rooms) {
            this.rooms = Objects.requireNonNull(rooms);
            return this;
        }

        /** Where to listen; default 127.0.0.1 on a free port. */
        public Builder bind(String host, int port) {
            return bind(new InetSocketAddress(host, port));
        }

        public Builder bind(InetSocketAddress address) {
            this.bindAddress = Objects.requireNonNull(address);
            return this;
        }

        /** Adds an interceptor run for every endpoint, before the endpoint's own. */
        public Builder interceptor(HandshakeInterceptor interceptor) {
            routes.interceptor(interceptor);
            return this;
        }

        /**
         * Adds an endpoint: an exact path ({@code /echo}) or a prefix ending in {@code /*}, a handler
         * per accepted connection made from its request, and interceptors of its own.
         */
        public Builder endpoint(String pattern, Function<HandshakeRequest, ? extends WebSocketHandler> handlers,
                                HandshakeInterceptor... interceptors) {
            routes.endpoint(pattern, handlers, interceptors);
            return this;
        }

        /** Adds an endpoint whose handlers do not need the request. */
        public Builder endpoint(String pattern, Supplier<? extends WebSocketHandler> handlers,
                                HandshakeInterceptor... interceptors) {
            Objects.requireNonNull(handlers);
            return endpoint(pattern, request -> handlers.get(), interceptors);
        }

        /** Answers plain HTTP requests on the same port (a page, say); without one they get 404. */
        public Builder httpResponder(HttpResponder responder) {
            routes.httpResponder(Objects.requireNonNull(responder));
            return this;
        }

        /** At most this many connections at once; over it a client is answered 503. Default 0: no cap. */
        public Builder maxConnections(int max) {
            this.maxConnections = cap(max, "maxConnections");
            return this;
        }

        /** At most this many connections from one address; over it a connection is closed at once. Default 0: no cap. */
        public Builder maxConnectionsPerAddress(int max) {
            this.maxConnectionsPerAddress = cap(max, "maxConnectionsPerAddress");
            return this;
        }

        /** At most this many connections in their opening handshake; over it one is closed at once. Default 0: no cap. */
        public Builder maxHandshakes(int max) {
            this.maxHandshakes = cap(max, "maxHandshakes");
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
         * Where there are no virtual threads (Java 17 to 20): the size of the pool that runs
         * connections, one thread each; default 256. Ignored when threads are virtual or given.
         */
        public Builder maxThreads(int max) {
            this.maxThreads = positive(max, "maxThreads");
            return this;
        }

        /**
         * Runs each connection on a thread of {@code executor}, which must start it at once or refuse it
         * ({@link RejectedExecutionException}, answered with 503). Default: a virtual thread per
         * connection on Java 21 and later, else a pool of {@link #maxThreads} platform threads.
         */
        public Builder threads(Executor executor) {
            this.threads = Objects.requireNonNull(executor);
            return this;
        }

        /**
         * Serves {@code wss://}, configured as every Weft server: {@code ServerTls.fromKeyStore(path,
         * password)}, {@code ServerTls.of(sslContext).withParameters(sslParameters)}, a context chosen
         * by SNI ({@code ServerTls.bySni}), client authentication; or
         * {@code SelfSignedCertificate.create().serverTls()} for development. The TLS handshake runs
         * on the connection's thread, within the handshake timeout.
         */
        public Builder tls(ServerTls tls) {
            this.tls = Objects.requireNonNull(tls);
            return this;
        }

        public BlockingWebSocketServer build() {
            return new BlockingWebSocketServer(this);
        }

        /** A cap as the NIO server takes it: 0 is none. */
        private static int cap(int n, String what) {
            if (n < 0) {
                throw new IllegalArgumentException(what + " must not be negative (0: no cap): " + n);
            }
            return n;
        }

        private static int positive(int n, String what) {
            if (n <= 0) {
                throw new IllegalArgumentException(what + " must be positive: " + n);
            }
            return n;
        }
    }
}
