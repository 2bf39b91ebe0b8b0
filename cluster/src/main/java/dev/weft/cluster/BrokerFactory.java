package dev.weft.cluster;

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
     * A broker for {@code uri} from the first factory on the module or class path that accepts it.
     *
     * @throws IllegalArgumentException if none does, naming the schemes that are known
     */
    static Broker forUri(URI uri) {
        List<String> known = new ArrayList<>();
        for (BrokerFactory factory : ServiceLoader.load(BrokerFactory.class, BrokerFactory.class.getClassLoader())) {
            if (factory.accepts(uri)) {
                return factory.create(uri);
            }
            factory.schemes().forEach(scheme -> known.add(scheme + "://"));
        }
        throw new IllegalArgumentException("no broker for " + uri.getScheme() + "://"
                + (known.isEmpty() ? " (no broker module, such as weft-cluster-redis, is present)"
                        : "; known: " + String.join(", ", known)));
    }
}
