package dev.weft.cluster;

import dev.weft.api.tls.ClientTls;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Makes brokers from URIs, found with {@link ServiceLoader}: a binding module provides one for its
 * schemes ({@code weft-cluster-redis} for {@code redis://} and {@code rediss://}), so that a
 * command line or a configuration file can name a broker by URI alone.
 */
public interface BrokerFactory {

    /** The URI schemes it makes brokers for, lower case ({@code redis}, {@code rediss}). */
    Set<String> schemes();

    /** Whether this factory makes brokers for {@code uri}'s scheme. */
    default boolean accepts(URI uri) {
        return uri.getScheme() != null && schemes().contains(uri.getScheme().toLowerCase(Locale.ROOT));
    }

    /**
     * A broker for {@code uri}, not started.
     *
     * @throws IllegalArgumentException if the URI is not one this factory can use; the message says why
     */
    Broker create(URI uri);

    /**
     * A broker for {@code uri} whose TLS connections trust, present and check host names as
     * {@code tls} says ({@code rediss://} with {@code weft-cluster-redis}). By default there is no
     * such broker.
     *
     * @throws IllegalArgumentException if the URI is not one this factory can use, or makes no TLS
     *     connection; the message says why
     */
    default Broker create(URI uri, ClientTls tls) {
        throw new IllegalArgumentException(uri.getScheme() + ":// brokers take no TLS settings");
    }

    /**
     * A broker for {@code uri} from the first factory on the module or class path that accepts it.
     *
     * @throws IllegalArgumentException if none does, naming the schemes that are known
     */
    static Broker forUri(URI uri) {
        return find(uri).create(uri);
    }

    /**
     * A broker for {@code uri} with TLS settings ({@link #create(URI, ClientTls)}) from the first
     * factory on the module or class path that accepts it.
     *
     * @throws IllegalArgumentException if none does, naming the schemes that are known, or it takes
     *     no TLS settings for this URI
     */
    static Broker forUri(URI uri, ClientTls tls) {
        return find(uri).create(uri, tls);
    }

    private static BrokerFactory find(URI uri) {
        List<String> known = new ArrayList<>();
        for (BrokerFactory factory : ServiceLoader.load(BrokerFactory.class, BrokerFactory.class.getClassLoader())) {
            if (factory.accepts(uri)) {
                return factory;
            }
            factory.schemes().forEach(scheme -> known.add(scheme + "://"));
        }
        throw new IllegalArgumentException("no broker for " + uri.getScheme() + "://"
                + (known.isEmpty() ? " (no broker module, such as weft-cluster-redis, is present)"
                        : "; known: " + String.join(", ", known)));
    }
}
