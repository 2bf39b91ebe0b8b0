package dev.weft.cluster.redis;

import dev.weft.api.tls.ClientTls;
import dev.weft.cluster.Broker;
import dev.weft.cluster.BrokerException;
import dev.weft.cluster.BrokerHealth;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;

import java.net.SocketAddress;
import java.net.URI;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * A {@link Broker} on Redis Pub/Sub, through Lettuce. Messages arrive on one connection, subscribed
 * to the channels asked for; they are published on a second one, since Redis takes no PUBLISH on a
 * subscribed connection. Every call is Lettuce's asynchronous one: none waits for the network.
 * Thread-safe.
 *
 * <p>What it relies on in Lettuce (7.x), configured here:
 * <ul>
 * <li>automatic reconnection, with commands rejected while disconnected
 *     ({@code DisconnectedBehavior.REJECT_COMMANDS}): a publish while Redis is down fails at once,
 *     and one that was in flight when the connection dropped fails then, never sent again — at most
 *     once, with nothing buffered for later. At most {@link #REQUEST_QUEUE} commands wait for
 *     Redis's answer on each connection, each for at most {@link #COMMAND_TIMEOUT};
 * <li>on reconnect Lettuce subscribes again to the channels it last saw confirmed. This broker keeps
 *     the channels it was asked for itself and corrects Lettuce's view: it subscribes to all of them
 *     when the subscriber connection is back (so a subscribe that failed while Redis was down takes
 *     effect), unsubscribes from a channel Redis confirms but nobody wants any more (one unsubscribed
 *     while down, which Lettuce resubscribed), and subscribes again to a wanted channel Redis
 *     confirms as unsubscribed (an unsubscribe and a subscribe that crossed);
 * <li>{@link RedisConnectionStateListener} events for both connections, which make {@link #health()};
 * <li>on {@code rediss://}, a {@code NettyCustomizer} that gives each connection an engine the
 *     broker's {@link ClientTls} made, in place of Lettuce's own (whose trust Lettuce builds from
 *     files and trust managers only, not from an {@code SSLContext}).
 * </ul>
 *
 * <p>The broker owns its Lettuce client and the client's threads (two I/O threads, two for
 * computation, one timer); {@link #close()} stops them. The password of the URI appears in no
 * message, log line or {@link #describe()}.
 */
public final class RedisBroker implements Broker {

    /** Commands each connection holds unanswered before it refuses more: bounded, so an outage costs no memory. */
    public static final int REQUEST_QUEUE = 10_000;

    /** How long a command waits for Redis's answer before it fails; Redis answers in microseconds. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    /**
     * Between reconnect attempts: from 50 ms, doubling, at most a second. Lettuce's default grows to
     * 30 s, so after an outage of a few seconds rooms stayed apart for seconds more than Redis did;
     * one attempt a second costs Redis nothing.
     */
    private static final Delay RECONNECT_DELAY = Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1),
            2, TimeUnit.MILLISECONDS);

    private static final ClientOptions OPTIONS = ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .requestQueueSize(REQUEST_QUEUE)
            .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
            .build();
    private static final long SHUTDOWN_SECONDS = 5;

    private final RedisURI uri;
    private final ClientTls tls; // null on redis://
    private final String description;
    private final String password;
    // The channels asked for: what Redis is brought back to after each reconnect.
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private final Object healthLock = new Object();
    private RedisClient client; // guarded by this
    private ClientResources resources; // guarded by this
    private volatile StatefulRedisPubSubConnection<String, byte[]> subscriber;
    private volatile StatefulRedisConnection<String, byte[]> publisher;
    private volatile Listener listener;
    private volatile BrokerHealth health = BrokerHealth.down("not started");
    private volatile String lastError = "";
    private volatile boolean closed;
    private boolean subscriberUp; // guarded by healthLock
    private boolean publisherUp; // guarded by healthLock

    private RedisBroker(RedisURI uri, ClientTls tls, String password) {
        this.uri = uri;
        this.tls = tls;
        this.password = password;
        this.description = describe(uri);
    }

    /**
     * A broker for {@code redis://[user:password@]host:port/db}, or {@code rediss://…} for TLS, not
     * started. Lettuce's URI options apply (such as {@code ?timeout=5s}). A {@code rediss://} broker
     * trusts the JDK's default trust store and checks Redis's host name ({@link ClientTls#defaults()}),
     * or with {@code ?verifyPeer=NONE} trusts any certificate ({@link ClientTls#insecure()}); to trust
     * a certificate of your own, use {@link #create(URI, ClientTls)}.
     *
     * @throws IllegalArgumentException if it is not such a URI, or asks for {@code verifyPeer=CA};
     *     the message holds no credentials
     */
    public static RedisBroker create(URI uri) {
        RedisURI redis = parse(uri);
        if (!redis.isSsl()) {
            return new RedisBroker(redis, null, password(uri));
        }
        if (redis.getVerifyMode() == SslVerifyMode.NONE) {
            redis.setVerifyPeer(SslVerifyMode.FULL); // said by the ClientTls from here on
            return create(redis, uri, ClientTls.insecure());
        }
        return create(redis, uri, ClientTls.defaults());
    }

    /**
     * A {@code rediss://} broker whose connections trust what {@code tls} trusts, present what it
     * presents, and check Redis's host name unless it says otherwise, like every Weft client:
     * {@code ClientTls.trusting(certificateFile)} for Redis's own (self-signed) certificate or its CA,
     * {@link ClientTls#of} for a context of your own, {@link ClientTls#defaults()} for the JDK's trust
     * store. The host name checked is the URI's: for an IP address, the certificate must name it.
     *
     * @param uri {@code rediss://[user:password@]host:port/db}
     * @throws IllegalArgumentException if it is not such a URI: a {@code redis://} URI makes a
     *     connection without TLS, where {@code tls} would go unused; or if it has a {@code verifyPeer}
     *     option, which {@code tls} replaces. The message holds no credentials
     */
    public static RedisBroker create(URI uri, ClientTls tls) {
        Objects.requireNonNull(tls, "tls");
        RedisURI redis = parse(uri);
        if (!redis.isSsl()) {
            throw new IllegalArgumentException("TLS settings for a redis:// URI, which connects without TLS: "
                    + "use rediss://" + uri.getHost() + ":" + uri.getPort() + " for TLS");
        }
        return create(redis, uri, tls);
    }

    private static RedisBroker create(RedisURI redis, URI uri, ClientTls tls) {
        if (redis.getVerifyMode() != SslVerifyMode.FULL) {
            // CA (trust without a host-name check) has no ClientTls; NONE is ClientTls.insecure(), asked for there.
            throw new IllegalArgumentException("verifyPeer=" + redis.getVerifyMode() + " in the URI is not used: "
                    + "a rediss:// broker trusts and checks host names as its ClientTls says "
                    + "(ClientTls.insecure() trusts every certificate)");
        }
        return new RedisBroker(redis, tls, password(uri));
    }

    private static RedisURI parse(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (!"redis".equalsIgnoreCase(scheme) && !"rediss".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("not a redis:// or rediss:// URI: " + scheme + "://" + uri.getHost());
        }
        try {
            return RedisURI.create(uri);
        } catch (RuntimeException e) {
            // Lettuce's message may quote the whole URI, password included: not passed on.
            throw new IllegalArgumentException("not a valid Redis URI (redis://[user:password@]host:port/db): "
                    + scheme + "://" + uri.getHost() + ":" + uri.getPort());
        }
    }

    private static String password(URI uri) {
        String userInfo = uri.getUserInfo();
        String password = userInfo == null ? null : userInfo.substring(userInfo.indexOf(':') + 1);
        return password == null || password.isEmpty() ? null : password;
    }

    /**
     * Connects both connections; blocks until they are up or failed (Lettuce's connect timeout, 10
     * s by default), as {@link Broker#start} may.
     *
     * @throws BrokerException if Redis cannot be reached or refuses the credentials; it may be
     *     called again
     * @throws IllegalStateException if started already, or closed
     */
    @Override
    public synchronized void start(Listener listener) throws BrokerException {
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (subscriber != null) {
            throw new IllegalStateException("started already");
        }
        if (client == null) {
            DefaultClientResources.Builder builder = DefaultClientResources.builder().ioThreadPoolSize(2)
                    .computationThreadPoolSize(2).reconnectDelay(RECONNECT_DELAY);
            if (tls != null) {
                builder.nettyCustomizer(new ClientTlsLayer(tls, uri.getHost(), uri.getPort()));
            }
            resources = builder.build();
            client = RedisClient.create(resources, uri);
            client.setOptions(OPTIONS);
        }
        StatefulRedisPubSubConnection<String, byte[]> sub = null;
        StatefulRedisConnection<String, byte[]> pub;
        for (int attempt = 1; ; attempt++) {
            try {
                sub = client.connectPubSub(CODEC);
                pub = client.connect(CODEC);
                break;
            } catch (RuntimeException e) {
                if (sub != null) {
                    sub.close();
                    sub = null;
                }
                // Lettuce closes the connection when Redis refuses its handshake (a wrong password),
                // and the close can win the race to report, hiding Redis's answer: once more, then
                // whatever the failure is, it is the answer.
                if (attempt == 1 && closedBeforeAnswer(e)) {
                    continue;
                }
                throw new BrokerException("cannot reach Redis at " + description + ": " + reason(e));
            }
        }
        this.listener = listener;
        sub.addListener(new Arrivals());
        subscriber = sub;
        publisher = pub;
        // From here on connection events change the health; the two states start from what is true now.
        client.addListener(new States());
        synchronized (healthLock) {
            subscriberUp = sub.isOpen();
            publisherUp = pub.isOpen();
            updateHealth();
        }
    }

    /** Fails at once while Redis is down, and when a publish in flight is cut off by a disconnect. */
    @Override
    public CompletionStage<Void> publish(String channel, byte[] message) {
        StatefulRedisConnection<String, byte[]> pub = publisher;
        if (pub == null || closed) {
            return unavailable();
        }
        return command(() -> pub.async().publish(channel, message));
    }

    /**
     * Completes when Redis has confirmed the subscription. While Redis is down it fails at once, but
     * the channel stays wanted: the broker subscribes to it when Redis is back.
     */
    @Override
    public CompletionStage<Void> subscribe(String channel) {
        StatefulRedisPubSubConnection<String, byte[]> sub = subscriber;
        if (sub == null || closed) {
            return unavailable();
        }
        wanted.add(channel);
        return command(() -> sub.async().subscribe(channel));
    }

    /**
     * Never fails: from the call on nothing more from {@code channel} reaches the listener, and Redis
     * forgets the subscription now or, if it is down, when it is back.
     */
    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        wanted.remove(channel);
        StatefulRedisPubSubConnection<String, byte[]> sub = subscriber;
        if (sub == null || closed) {
            return CompletableFuture.completedFuture(null);
        }
        return command(() -> sub.async().unsubscribe(channel)).exceptionally(e -> null);
    }

    @Override
    public BrokerHealth health() {
        return health;
    }

    /** {@code redis://host:port/db} (or {@code rediss://}), without credentials. */
    @Override
    public String describe() {
        return description;
    }

    /** Closes both connections and stops the client's threads; waits for them a few seconds at most. */
    @Override
    public void close() {
        RedisClient c;
        ClientResources r;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            c = client;
            r = resources;
        }
        health = BrokerHealth.down("closed");
        if (c == null) {
            return;
        }
        c.shutdown(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        java.util.concurrent.Future<Boolean> stopped = r.shutdown(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        try {
            stopped.get(SHUTDOWN_SECONDS * 2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The threads end on their own; nothing is left to undo.
        }
    }

    @Override
    public String toString() {
        return "RedisBroker[" + description + ", " + health + "]";
    }

    private CompletionStage<Void> command(Supplier<? extends CompletionStage<?>> command) {
        CompletionStage<?> sent;
        try {
            sent = command.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failure(e));
        }
        return sent.handle((result, e) -> {
            if (e != null) {
                throw new CompletionException(failure(e));
            }
            return null;
        });
    }

    private CompletionStage<Void> unavailable() {
        return CompletableFuture.failedFuture(
                new BrokerException(description + ": " + (closed ? "closed" : "not started")));
    }

    private BrokerException failure(Throwable e) {
        return new BrokerException(description + ": " + reason(e));
    }

    /**
     * The innermost message of {@code e}, which says what happened (refused, timed out, rejected),
     * after what failed if it was TLS, without the password.
     */
    private static boolean closedBeforeAnswer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if ("Connection closed prematurely".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private String reason(Throwable e) {
        boolean handshake = false;
        boolean certificate = false;
        boolean untrusted = false;
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            handshake |= t instanceof SSLException;
            certificate |= t instanceof CertificateException; // such as a host name it is not for
            untrusted |= t instanceof CertPathBuilderException; // no path to a trusted certificate
        }
        // The message alone ("Connection refused"); a class name says nothing to the people who read it.
        String message = root.getMessage() == null || root.getMessage().isBlank() ? "no reason given" : root.getMessage();
        String tlsFailure = untrusted ? "Redis's TLS certificate is not trusted"
                : certificate ? "Redis's TLS certificate was refused"
                : handshake ? "the TLS handshake with Redis failed" : null;
        if (tlsFailure != null) {
            message = tlsFailure + " (" + message + ")";
        }
        return password == null ? message : message.replace(password, "****");
    }

    private void updateHealth() {
        boolean up = subscriberUp && publisherUp;
        if (closed || up == health.up()) {
            return;
        }
        String error = lastError;
        health = up ? BrokerHealth.up("connected to " + description)
                : BrokerHealth.down("lost the connection to " + description + (error.isEmpty() ? "" : " (" + error + ")")
                        + "; reconnecting");
        // Under the lock, so that the listener hears the changes in the order they happened.
        listener.onHealth(health);
    }

    private static String describe(RedisURI uri) {
        String host = uri.getHost() == null ? uri.getSocket() : uri.getHost();
        if (host != null && host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return (uri.isSsl() ? "rediss://" : "redis://") + host + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    /** What arrives on the subscriber connection, on a Lettuce I/O thread. */
    private final class Arrivals extends RedisPubSubAdapter<String, byte[]> {
        @Override
        public void message(String channel, byte[] message) {
            Listener l = listener;
            if (!closed && wanted.contains(channel)) {
                l.onMessage(channel, message);
            }
        }

        @Override
        public void subscribed(String channel, long count) {
            StatefulRedisPubSubConnection<String, byte[]> sub = subscriber;
            if (!closed && !wanted.contains(channel)) {
                command(() -> sub.async().unsubscribe(channel)); // resubscribed by Lettuce, or given up meanwhile
            }
        }

        @Override
        public void unsubscribed(String channel, long count) {
            StatefulRedisPubSubConnection<String, byte[]> sub = subscriber;
            if (!closed && wanted.contains(channel)) {
                command(() -> sub.async().subscribe(channel)); // wanted again since the unsubscribe was sent
            }
        }
    }

    /** Connection events of both connections, on Lettuce's threads. */
    private final class States implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            StatefulRedisPubSubConnection<String, byte[]> sub = subscriber;
            if (connection == sub && !closed && !wanted.isEmpty()) {
                // Lettuce resubscribed what it knew; this adds what was asked for while Redis was down.
                command(() -> sub.async().subscribe(wanted.toArray(String[]::new)));
            }
            changed(connection, true);
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            changed(connection, false);
        }

        @Override
        public void onRedisExceptionCaught(RedisChannelHandler<?, ?> connection, Throwable cause) {
            lastError = reason(cause);
        }

        private void changed(RedisChannelHandler<?, ?> connection, boolean up) {
            synchronized (healthLock) {
                if (connection == subscriber) {
                    subscriberUp = up;
                } else if (connection == publisher) {
                    publisherUp = up;
                } else {
                    return;
                }
                if (up) {
                    lastError = "";
                }
                updateHealth();
            }
        }
    }
}
