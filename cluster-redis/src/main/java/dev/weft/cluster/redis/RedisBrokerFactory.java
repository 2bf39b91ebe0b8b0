package dev.weft.cluster.redis;

import dev.weft.api.tls.ClientTls;
import dev.weft.cluster.Broker;
import dev.weft.cluster.BrokerFactory;

import java.net.URI;
import java.util.Set;

/**
 * Makes {@link RedisBroker}s for {@code redis://} and {@code rediss://} URIs; registered for
 * {@link BrokerFactory#forUri} on the module path and the class path.
 */
public final class RedisBrokerFactory implements BrokerFactory {

    /** For {@link java.util.ServiceLoader}. */
    public RedisBrokerFactory() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("redis", "rediss");
    }

    @Override
    public Broker create(URI uri) {
        if (!accepts(uri)) {
            throw new IllegalArgumentException("not a redis:// or rediss:// URI: " + uri.getScheme() + "://");
        }
        return RedisBroker.create(uri);
    }

    /** A {@code rediss://} broker with these TLS settings: {@link RedisBroker#create(URI, ClientTls)}. */
    @Override
    public Broker create(URI uri, ClientTls tls) {
        if (!accepts(uri)) {
            throw new IllegalArgumentException("not a redis:// or rediss:// URI: " + uri.getScheme() + "://");
        }
        return RedisBroker.create(uri, tls);
    }
}
