package dev.weft.core.handshake;

import dev.weft.api.HttpProxy;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which HTTP proxy, if any, a client reaches a WebSocket URI through: the one the application gave,
 * else the first HTTP proxy a {@link ProxySelector} names for the URI's {@code https} form (for
 * {@code wss://}) or {@code http} form (for {@code ws://}) — the JDK's default selector reads
 * {@code https.proxyHost}, {@code http.proxyHost} and {@code http.nonProxyHosts} that way. A
 * selector's SOCKS proxies are passed over: Weft tunnels through HTTP proxies only. Stateless.
 */
public final class ProxyRoute {

    private ProxyRoute() {
    }

    /**
     * @param explicit the proxy the application gave, or null
     * @param selector asked when there is none; null for {@link ProxySelector#getDefault()}, which
     *     may itself be null (no proxy)
     * @param target a {@code ws}, {@code wss}, {@code http} or {@code https} URI with a host
     * @return the proxy to tunnel through, or empty to connect directly
     */
    public static Optional<HttpProxy> choose(HttpProxy explicit, ProxySelector selector, URI target) {
        if (explicit != null) {
            return Optional.of(explicit);
        }
        ProxySelector chosen = selector != null ? selector : ProxySelector.getDefault();
        if (chosen == null) {
            return Optional.empty();
        }
        List<Proxy> proxies = chosen.select(selectorUri(target));
        for (Proxy proxy : proxies) {
            if (proxy.type() == Proxy.Type.DIRECT) {
                return Optional.empty();
            }
            if (proxy.type() == Proxy.Type.HTTP && proxy.address() instanceof InetSocketAddress address) {
                return Optional.of(HttpProxy.of(address.getHostString(), address.getPort()));
            }
        }
        return Optional.empty();
    }

    private static URI selectorUri(URI target) {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("wss") || scheme.equals("https");
        try {
            return new URI(secure ? "https" : "http", null, target.getHost(), target.getPort(), "/", null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("no host in " + target, e);
        }
    }
}
