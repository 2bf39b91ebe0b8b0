package dev.weft.transport.nio;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.HttpProxy;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.Headers;
import dev.weft.api.metrics.WebSocketMetrics;
import dev.weft.api.reconnect.Reconnect;
import dev.weft.api.reconnect.ReconnectingConnection;
import dev.weft.core.handshake.ClientHandshake;
import dev.weft.core.handshake.ProxyRoute;
import dev.weft.core.handshake.ProxyTunnel;
import dev.weft.core.handshake.Redirects;

import dev.weft.core.session.LoopFuture;
import dev.weft.core.session.MemoryBudget;
import dev.weft.core.session.SessionOptions;
import dev.weft.transport.nio.client.ClientUpgrade;
import dev.weft.transport.nio.client.TunnelLayer;
import dev.weft.transport.nio.loop.Connections;
import dev.weft.transport.nio.loop.Counters;
import dev.weft.transport.nio.loop.EventLoop;
import dev.weft.transport.nio.loop.NioConnection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A WebSocket client over TCP ({@code ws://} URIs; {@code wss://} needs the TLS transport).
 * Connections are spread over the event loops of an {@link EventLoopGroup}, which several clients
 * (and servers) may share. It reaches servers directly or through an HTTP proxy ({@link Builder#proxy},
 * or the JDK's {@link ProxySelector}).
 *
 * <pre>{@code
 * try (WebSocketClient client = WebSocketClient.builder().build()) {
 *     Connection c = client.connect(URI.create("ws://127.0.0.1:8080/echo"), handler).get();
 *     c.sendText("hello");
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class WebSocketClient implements AutoCloseable {

    private final EventLoopGroup loops;
    private final boolean ownsLoops;
    private final WebSocketConfig config;
    private final TransportConfig transportConfig;
    private final NetworkLayer.Factory secureLayer;
    private final HttpProxy proxy;
    private final ProxySelector proxySelector;
    private final TransportStats stats;
    /** The client's own counters, then the listener it was given. */
    private final WebSocketMetrics metrics;
    private final SessionOptions sessionOptions;
    private final int maxRedirects;
    private final SecureRandom random = new SecureRandom();
    private final Connections connections = new Connections();

    private WebSocketClient(Builder b) {
        this.ownsLoops = b.loops == null;
        this.loops = ownsLoops ? new EventLoopGroup(b.threads, "weft-client") : b.loops;
        this.config = b.config;
        this.transportConfig = b.transportConfig;
        Counters counters = new Counters();
        this.stats = new TransportStats(counters);
        this.metrics = counters.andThen(b.metrics);
        MemoryBudget budget = new MemoryBudget(transportConfig.memoryBudget());
        metrics.memoryBudget(budget);
        this.sessionOptions = SessionOptions.DEFAULT.callbackExecutor(transportConfig.handlerExecutor())
                .metrics(metrics).budget(budget);
        this.secureLayer = b.secureLayer;
        this.maxRedirects = b.maxRedirects;
        this.proxy = b.proxy;
        this.proxySelector = b.proxySelector;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Connects to {@code uri}; see {@link #connect(URI, Headers, WebSocketHandler)}. */
    public CompletableFuture<Connection> connect(URI uri, WebSocketHandler handler) {
        return connect(uri, Headers.empty(), handler);
    }

    /**
     * Opens a connection: TCP (to the server, or to a proxy and then a CONNECT tunnel through it;
     * see {@link Builder#proxy}), TLS for {@code wss://}, then the opening handshake with the
     * configured subprotocols and extensions. User-info in the URI ({@code ws://user:pass@host/})
     * becomes HTTP Basic credentials.
     *
     * <p>A redirect answered to the upgrade fails the connect unless the client was built to
     * {@linkplain Builder#followRedirects(int) follow redirects}.
     *
     * @param uri a {@code ws://} URI: host, optional port (default 80), path and query
     * @param headers extra request headers (not the handshake's own)
     * @param handler receives the connection's events
     * @return completes with the open connection, after {@code onOpen}; or exceptionally with a
     *     {@link HandshakeException} naming what the server got wrong, a
     *     {@link dev.weft.api.ProxyException} naming the proxy that refused the tunnel and its status,
     *     an {@link IOException} (refused, timed out), {@link IllegalArgumentException} for a bad URI,
     *     or {@link IllegalStateException} once the client is shut down
     */
    public CompletableFuture<Connection> connect(URI uri, Headers headers, WebSocketHandler handler) {
        return maxRedirects == 0 ? connectOnce(uri, headers, handler)
                : following(new Redirects(maxRedirects), uri, headers, handler);
    }

    /**
     * Connects to {@code uri} and opens it again each time it drops, as {@code reconnect} says; see
     * {@link ReconnectingConnection} for what {@code handler} sees and for sends between connections.
     *
     * @return completes with the connection once one attempt has opened it, or exceptionally with
     *     the failure that made {@code reconnect} give up first
     */
    public CompletableFuture<ReconnectingConnection> connect(URI uri, Headers headers, WebSocketHandler handler,
                                                             Reconnect reconnect) {
        return reconnect.connect(h -> connect(uri, headers, h), handler);
    }

    /** Connects to {@code uri}, then to where each redirect answered leads, as far as {@code redirects} go. */
    private CompletableFuture<Connection> following(Redirects redirects, URI uri, Headers headers,
                                                    WebSocketHandler handler) {
        return connectOnce(uri, headers, handler).exceptionallyCompose(failure -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            try {
                URI next = cause instanceof HandshakeException refusal ? redirects.next(uri, refusal) : null;
                return next == null ? CompletableFuture.failedFuture(cause)
                        : following(redirects, next, Redirects.headersFor(uri, next, headers), handler);
            } catch (HandshakeException notFollowed) {
                return CompletableFuture.failedFuture(notFollowed);
            }
        });
    }

    private CompletableFuture<Connection> connectOnce(URI uri, Headers headers, WebSocketHandler handler) {
        if (connections.isClosing()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the client is shut down"));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("wss") || scheme.equals("https");
        if (secure && secureLayer == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "wss:// needs TLS: build the client with a secure network layer (weft-transport-tls) for " + uri));
        }
        NetworkLayer.Factory layer = secure ? secureLayer : NetworkLayer.PLAIN;
        ClientHandshake handshake;
        int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
        Optional<HttpProxy> via;
        InetSocketAddress address;
        try {
            handshake = new ClientHandshake(uri, headers, config, random);
            via = ProxyRoute.choose(proxy, proxySelector, uri);
            // Through a proxy, the proxy resolves the server's name.
            address = via.map(p -> new InetSocketAddress(p.host(), p.port()))
                    .orElseGet(() -> new InetSocketAddress(uri.getHost(), port));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (address.isUnresolved()) {
            return CompletableFuture.failedFuture(new UnknownHostException(address.getHostString()));
        }
        CompletableFuture<Connection> result = new LoopFuture<>();
        EventLoop loop = loops.next();
        NetworkLayer direct = layer.create(Role.CLIENT, uri.getHost(), port);
        NetworkLayer networkLayer = via.<NetworkLayer>map(p -> new TunnelLayer(direct,
                new ProxyTunnel(p, uri.getHost(), port, config))).orElse(direct);
        loop.execute(() -> open(loop, address, networkLayer, handshake, Objects.requireNonNull(handler), result));
        return result;
    }

    /** Live counters of this client's connections. */
    public TransportStats stats() {
        return stats;
    }

    /**
     * Closes every connection of this client with 1001 (going away), waits up to {@code grace}
     * for the close handshakes, aborts what is left, and stops the event loops it created. Further
     * connects fail.
     */
    public synchronized void shutdown(Duration grace) {
        if (connections.isClosing()) {
            return;
        }
        connections.closeAll(CloseCodes.GOING_AWAY, "client going away", grace);
        if (ownsLoops) {
            loops.close();
        }
    }

    /** Shuts down with a five-second grace period. */
    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }

    private void open(EventLoop loop, InetSocketAddress address, NetworkLayer layer, ClientHandshake handshake,
                      WebSocketHandler handler, CompletableFuture<Connection> result) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open();
        } catch (IOException e) {
            result.completeExceptionally(e);
            return;
        }
        NioConnection connection = new NioConnection(loop, channel, transportConfig, metrics, address, layer,
                c -> new ClientUpgrade(c, config, sessionOptions, handshake, handler,
                        transportConfig.connectTimeout(), result),
                this::closed);
        metrics.socketOpened(); // before tracking it: a connection refused below is counted closed
        if (!connections.add(connection)) {
            result.completeExceptionally(new IllegalStateException("the client is shut down"));
            connection.abort();
            return;
        }
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean connected = channel.connect(address);
            connection.register(connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT);
            if (connected) {
                connection.connected();
            }
        } catch (IOException e) {
            connection.fail(e);
        }
    }

    private void closed(NioConnection connection) {
        metrics.socketClosed();
        connections.remove(connection);
    }

    /** Builds a {@link WebSocketClient}. Not thread-safe. */
    public static final class Builder {
        private EventLoopGroup loops;
        private int threads = 1;
        private WebSocketConfig config = WebSocketConfig.defaults();
        private TransportConfig transportConfig = TransportConfig.defaults();
        private NetworkLayer.Factory secureLayer;
        private HttpProxy proxy;
        private ProxySelector proxySelector;
        private WebSocketMetrics metrics = WebSocketMetrics.NONE;
        private int maxRedirects;

        private Builder() {
        }

        /**
         * Connects through {@code proxy}, whatever the proxy selector says: each connection opens
         * TCP to the proxy and asks it for a tunnel to the server with HTTP {@code CONNECT}; TLS (for
         * {@code wss://}, with the server's host name checked as usual) and the opening handshake
         * run inside the tunnel, all within the handshake timeout. A proxy that refuses fails the
         * connect with a {@link dev.weft.api.ProxyException}. Default: none, so the
         * {@link #proxySelector} decides.
         */
        public Builder proxy(HttpProxy proxy) {
            this.proxy = Objects.requireNonNull(proxy);
            return this;
        }

        /**
         * Asked for each connection when no {@link #proxy} is given, with the URI's {@code https} form
         * for {@code wss://} and its {@code http} form for {@code ws://}: its first HTTP proxy is
         * tunnelled through (without credentials), a {@code DIRECT} answer or none connects directly.
         * Default: {@link ProxySelector#getDefault()} at each connect, which follows the system
         * properties {@code https.proxyHost}, {@code http.proxyHost} (and their ports) and
         * {@code http.nonProxyHosts}; {@code ProxySelector.of(null)} never uses a proxy.
         */
        public Builder proxySelector(ProxySelector selector) {
            this.proxySelector = Objects.requireNonNull(selector);
            return this;
        }

        /**
         * Where the client reports its connections, messages and bytes, besides its own
         * {@link WebSocketClient#stats() stats()} (default: {@link WebSocketMetrics#NONE}).
         */
        public Builder metrics(WebSocketMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics);
            return this;
        }

        /** The layer {@code wss://} connections go through (the TLS transport provides one); {@code ws://} stays plain. */
        public Builder secureLayer(NetworkLayer.Factory secureLayer) {
            if (!secureLayer.isSecure()) {
                throw new IllegalArgumentException("not a secure layer: " + secureLayer);
            }
            this.secureLayer = secureLayer;
            return this;
        }

        /** How many event loops to start (default 1); ignored with {@link #eventLoops}. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1: " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Runs on a shared group of event loops, which the client does not stop. */
        public Builder eventLoops(EventLoopGroup loops) {
            this.loops = Objects.requireNonNull(loops);
            return this;
        }

        /** Protocol settings: limits, timeouts, subprotocols and extensions to offer. */
        public Builder config(WebSocketConfig config) {
            this.config = Objects.requireNonNull(config);
            return this;
        }

        /** Write-queue limits, read pausing, callbacks' executor, connect timeout. */
        public Builder transport(TransportConfig transportConfig) {
            this.transportConfig = Objects.requireNonNull(transportConfig);
            return this;
        }

        /**
         * Follows up to {@code max} redirects (301, 302, 307, 308) answered to an upgrade request,
         * to the {@code ws}, {@code wss}, {@code http} or {@code https} URI of their
         * {@code Location} (a relative one resolved against the URI asked for), never from
         * {@code wss} to {@code ws}; {@code Authorization} and {@code Cookie} headers go only to the
         * host and port they were given for. A redirect that breaks these rules, or one past the
         * limit, fails the connect with a {@link HandshakeException} saying why. Default 0: a
         * redirect fails the connect, its status in the exception and its {@code Location} in
         * {@link HandshakeException#headers()}.
         */
        public Builder followRedirects(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("the redirect limit must not be negative: " + max);
            }
            this.maxRedirects = max;
            return this;
        }

        /** The client. */
        public WebSocketClient build() {
            return new WebSocketClient(this);
        }
    }
}
