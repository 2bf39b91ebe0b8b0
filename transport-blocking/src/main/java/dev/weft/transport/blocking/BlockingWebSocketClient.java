package dev.weft.transport.blocking;

import dev.weft.api.Connection;
import dev.weft.api.HttpProxy;
import dev.weft.api.Role;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.Headers;
import dev.weft.api.reconnect.Reconnect;
import dev.weft.api.reconnect.ReconnectingConnection;
import dev.weft.api.tls.ClientTls;
import dev.weft.core.handshake.ClientHandshake;
import dev.weft.core.handshake.ClientOpening;
import dev.weft.core.handshake.ProxyRoute;
import dev.weft.core.handshake.ProxyTunnel;
import dev.weft.core.handshake.Redirects;
import dev.weft.transport.blocking.socket.Inbox;
import dev.weft.transport.blocking.socket.SocketOpening;
import dev.weft.transport.blocking.socket.SocketSession;
import dev.weft.transport.blocking.socket.Threads;
import dev.weft.transport.blocking.socket.SecureSockets;
import dev.weft.transport.blocking.socket.Wire;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * Opens client connections with blocking calls. {@link #open} returns an end the caller reads
 * itself; {@link #connect} hands the connection to a handler that a thread of its own drives
 * (a virtual thread on Java 21 and later). {@code ws://} runs over a plain socket, {@code wss://}
 * over TLS with the JDK's trusted CAs and a host-name check unless told otherwise; either directly or
 * through an HTTP proxy ({@link Builder#proxy}, or the JDK's {@link ProxySelector}). Immutable and
 * thread-safe; its connections share its memory budget.
 *
 * <pre>{@code
 * BlockingWebSocketClient client = BlockingWebSocketClient.builder().build();
 * try (BlockingWebSocket ws = client.open(URI.create("ws://localhost:9001/echo"))) {
 *     ws.sendText("hello");
 *     System.out.println(ws.receive());
 * }
 * }</pre>
 */
public final class BlockingWebSocketClient {

    private static final BlockingWebSocketClient DEFAULTS = builder().build();

    private final EndSettings settings;
    private final Duration connectTimeout;
    private final ClientTls tls;
    private final HttpProxy proxy;
    private final ProxySelector proxySelector;
    private final Executor threads;
    private final int maxRedirects;
    private final SecureRandom random = new SecureRandom();

    private BlockingWebSocketClient(Builder b) {
        this.settings = b.settings(b.receiving);
        this.connectTimeout = b.connectTimeout;
        this.tls = b.tls;
        this.proxy = b.proxy;
        this.proxySelector = b.proxySelector;
        this.threads = b.threads != null ? b.threads : Threads.perTask("weft-client-");
        this.maxRedirects = b.maxRedirects;
    }

    /** A client with the default settings. */
    public static BlockingWebSocketClient defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Connects to {@code uri}; see {@link #open(URI, Headers)}. */
    public BlockingWebSocket open(URI uri) throws IOException {
        return open(uri, Headers.empty());
    }

    /**
     * Connects to {@code uri} (TCP, to the server or to a proxy and then a CONNECT tunnel through it
     * as {@link Builder#proxy} says; TLS for {@code wss://}; then the opening handshake) and returns
     * the open end. User-info in the URI ({@code ws://user:pass@host/}) becomes HTTP Basic credentials.
     *
     * @param headers extra request headers (not the handshake's own)
     * @throws HandshakeException if the server refused or answered wrongly, or answered with a
     *     redirect that the client was not built to {@linkplain Builder#followRedirects(int) follow}
     * @throws dev.weft.api.ProxyException if the proxy refused the tunnel (its status and the proxy named)
     * @throws java.net.SocketTimeoutException if the connection or the handshake took too long
     * @throws IOException if the connection failed
     * @throws IllegalArgumentException if {@code uri} is not a WebSocket URI
     */
    public BlockingWebSocket open(URI uri, Headers headers) throws IOException {
        return end(opened(uri, headers));
    }

    /**
     * Dials {@code uri} and runs the opening handshake, then does so again where each redirect
     * answered leads, as far as {@link Builder#followRedirects(int)} allows.
     */
    private Opened opened(URI uri, Headers headers) throws IOException {
        Redirects redirects = new Redirects(maxRedirects);
        for (URI target = uri; ; ) {
            ClientHandshake handshake = new ClientHandshake(target, headers, settings.config(), random);
            try {
                return opened(dial(target), handshake);
            } catch (HandshakeException refusal) {
                URI next = redirects.next(target, refusal);
                if (next == null) {
                    throw refusal;
                }
                headers = Redirects.headersFor(target, next, headers);
                target = next;
            }
        }
    }

    /** TCP, a tunnel through a proxy if there is one, then TLS for {@code wss://}; the socket is closed if any fails. */
    private Wire dial(URI uri) throws IOException {
        boolean secure = isSecure(uri);
        int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
        Optional<HttpProxy> via = ProxyRoute.choose(proxy, proxySelector, uri);
        // Through a proxy, the proxy resolves the server's name.
        InetSocketAddress address = via.map(p -> new InetSocketAddress(p.host(), p.port()))
                .orElseGet(() -> new InetSocketAddress(uri.getHost(), port));
        if (address.isUnresolved()) {
            throw new UnknownHostException(address.getHostString());
        }
        Socket socket = new Socket();
        try {
            socket.connect(address, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            socket.setTcpNoDelay(true);
            Duration timeout = settings.config().handshakeTimeout();
            if (via.isPresent()) {
                SocketOpening.tunnel(Wire.of(socket), new ProxyTunnel(via.get(), uri.getHost(), port, settings.config()),
                        via.get().authority(), timeout);
            }
            return Wire.of(secure ? SecureSockets.client(tls, socket, host(uri), port, timeout) : socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Runs the opening handshake for {@code uri} over a socket the application connected (through
     * a proxy, say; an {@link javax.net.ssl.SSLSocket} for {@code wss://}), and returns the open end.
     * The socket is closed if the handshake fails.
     */
    public BlockingWebSocket open(URI uri, Headers headers, Socket socket) throws IOException {
        return end(opened(Wire.of(socket), new ClientHandshake(uri, headers, settings.config(), random)));
    }

    /**
     * Runs the opening handshake for {@code uri} over a stream pair (a process's, or a tunnel's), and
     * returns the open end. Reads on it cannot time out; the engine's timers still apply.
     *
     * @param close ends both streams; called when the connection closes or the handshake fails
     */
    public BlockingWebSocket open(URI uri, Headers headers, InputStream in, OutputStream out, Closeable close)
            throws IOException {
        return end(opened(Wire.of(in, out, null, close), new ClientHandshake(uri, headers, settings.config(), random)));
    }

    /**
     * Connects to {@code uri} and hands the connection to {@code handler}, driven by a thread of this
     * client's: every callback runs on it, {@code onOpen} first. The handler is the connection's from
     * its first byte, as on the NIO transport, so a handler written for NIO runs here unchanged, and
     * one that takes parts or observes frames gets them.
     *
     * @return the open connection, once {@code onOpen} has returned
     * @throws IOException as {@link #open(URI, Headers)}
     */
    public Connection connect(URI uri, Headers headers, WebSocketHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        Opened opened = opened(uri, headers);
        CompletableFuture<Connection> started = new CompletableFuture<>();
        threads.execute(() -> {
            SocketSession session = opened.start(handler, settings);
            started.complete(session.connection());
            session.readUntilClosed();
        });
        try {
            return started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the connection opened");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the connection's thread failed to start it", e.getCause());
        }
    }

    /** Connects to {@code uri}; see {@link #connect(URI, Headers, WebSocketHandler)}. */
    public Connection connect(URI uri, WebSocketHandler handler) throws IOException {
        return connect(uri, Headers.empty(), handler);
    }

    /**
     * Connects to {@code uri} and opens it again each time it drops, as {@code reconnect} says; see
     * {@link ReconnectingConnection} for what {@code handler} sees and for sends between connections.
     * Each attempt runs {@link #connect(URI, Headers, WebSocketHandler)} on a thread of this
     * client's.
     *
     * @return the connection, once one attempt has opened it
     * @throws IOException (or {@link HandshakeException}, {@link IllegalArgumentException}) the
     *     failure that made {@code reconnect} give up before any attempt opened it
     */
    public ReconnectingConnection connect(URI uri, Headers headers, WebSocketHandler handler, Reconnect reconnect)
            throws IOException {
        CompletableFuture<ReconnectingConnection> first = reconnect.connect(h -> CompletableFuture.supplyAsync(() -> {
            try {
                return connect(uri, headers, h);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, threads), handler);
        try {
            return first.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
    }

    /** A completed opening handshake over a wire, before its session starts. */
    private record Opened(Wire wire, ClientOpening.Open open) {
        SocketSession start(WebSocketHandler handler, EndSettings settings) {
            return SocketSession.open(Role.CLIENT, settings.config(), open.agreement(), handler, wire,
                    settings.sessionOptions(), settings.writeTimeout(), null, open.leftover());
        }
    }

    private Opened opened(Wire wire, ClientHandshake handshake) throws IOException {
        return new Opened(wire, SocketOpening.connect(wire, new ClientOpening(handshake, settings.config()),
                settings.config().handshakeTimeout()));
    }

    /** An end read with blocking calls, the way this client's settings say. */
    private BlockingWebSocket end(Opened opened) {
        Inbox inbox = settings.newInbox();
        return new BlockingWebSocket(opened.start(inbox, settings), inbox, settings.receiving());
    }

    /** The URI's host, without the brackets of an IPv6 literal. */
    private static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean isSecure(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("wss") || scheme.equals("https");
    }

    /** Settings for a {@link BlockingWebSocketClient}; each has a documented default. */
    public static final class Builder extends EndBuilder<Builder> {
        private Receiving receiving = Receiving.MESSAGES;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private ClientTls tls = ClientTls.defaults();
        private HttpProxy proxy;
        private ProxySelector proxySelector;
        private Executor threads;
        private int maxRedirects;

        private Builder() {
        }

        /** How ends from {@link #open} are read; default {@link Receiving#MESSAGES}. */
        public Builder receiving(Receiving receiving) {
            this.receiving = Objects.requireNonNull(receiving);
            return this;
        }

        /** How long TCP may take to connect; default 10 seconds. */
        public Builder connectTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the connect timeout must be positive: " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * TLS for {@code wss://}, as every Weft client configures it: {@code ClientTls.of(context)
         * .withParameters(parameters)} for an {@code SSLContext} and {@code SSLParameters} of your own,
         * {@code ClientTls.trusting(certificateFile)} for a self-signed server. Default
         * {@link ClientTls#defaults()}: the JDK's trusted CAs, the host name checked and sent as SNI.
         */
        public Builder tls(ClientTls tls) {
            this.tls = Objects.requireNonNull(tls);
            return this;
        }

        /**
         * Connects through {@code proxy}, whatever the proxy selector says: each connection opens
         * TCP to the proxy and asks it for a tunnel to the server with HTTP {@code CONNECT} (its
         * answer read within the handshake timeout); TLS (for {@code wss://}, with the server's host
         * name checked as usual) and the opening handshake run inside the tunnel. A proxy that
         * refuses fails the connect with a {@link dev.weft.api.ProxyException}. Default: none, so
         * the {@link #proxySelector} decides.
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

        /** Where {@link #connect} runs each connection's thread; default a new virtual thread each (a platform thread before Java 21). */
        public Builder threads(Executor threads) {
            this.threads = Objects.requireNonNull(threads);
            return this;
        }

        /**
         * Follows up to {@code max} redirects (301, 302, 307, 308) answered to an upgrade request,
         * to the {@code ws}, {@code wss}, {@code http} or {@code https} URI of their
         * {@code Location} (a relative one resolved against the URI asked for), never from
         * {@code wss} to {@code ws}; {@code Authorization} and {@code Cookie} headers go only to the
         * host and port they were given for. A redirect that breaks these rules, or one past the
         * limit, fails with a {@link HandshakeException} saying why. Default 0: a redirect fails,
         * its status in the exception and its {@code Location} in {@link HandshakeException#headers()}.
         * Only for the connections this client dials itself, not over a socket or streams given to
         * {@code open}.
         */
        public Builder followRedirects(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("the redirect limit must not be negative: " + max);
            }
            this.maxRedirects = max;
            return this;
        }

        public BlockingWebSocketClient build() {
            return new BlockingWebSocketClient(this);
        }
    }
}
