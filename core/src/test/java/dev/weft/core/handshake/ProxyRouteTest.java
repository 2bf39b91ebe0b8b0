package dev.weft.core.handshake;

import dev.weft.api.HttpProxy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProxyRouteTest {

    private static final HttpProxy EXPLICIT = HttpProxy.of("proxy.example", 3128);

    /** Answers {@code proxies} and records what it was asked. */
    private static final class Recording extends ProxySelector {
        final List<URI> asked = new ArrayList<>();
        private final List<Proxy> proxies;

        Recording(Proxy... proxies) {
            this.proxies = List.of(proxies);
        }

        @Override
        public List<Proxy> select(URI uri) {
            asked.add(uri);
            return proxies;
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        }
    }

    private static Proxy http(String host, int port) {
        return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port));
    }

    @Test
    void theExplicitProxyWinsAndTheSelectorIsNotAsked() {
        Recording selector = new Recording(Proxy.NO_PROXY);
        assertEquals(Optional.of(EXPLICIT), ProxyRoute.choose(EXPLICIT, selector, URI.create("ws://a.example/")));
        assertEquals(List.of(), selector.asked);
    }

    @Test
    void asksTheSelectorWithTheHttpsFormForWssAndTheHttpFormForWs() {
        Recording selector = new Recording(http("corp", 8080));
        assertEquals(Optional.of(HttpProxy.of("corp", 8080)),
                ProxyRoute.choose(null, selector, URI.create("wss://a.example/chat?x=1")));
        ProxyRoute.choose(null, selector, URI.create("ws://a.example:9000/"));
        assertEquals(List.of(URI.create("https://a.example/"), URI.create("http://a.example:9000/")), selector.asked);
    }

    @Test
    void directOrOnlySocksMeansNoProxy() {
        URI target = URI.create("ws://a.example/");
        assertEquals(Optional.empty(), ProxyRoute.choose(null, new Recording(Proxy.NO_PROXY, http("corp", 1)), target));
        Proxy socks = new Proxy(Proxy.Type.SOCKS, InetSocketAddress.createUnresolved("socks", 1080));
        assertEquals(Optional.empty(), ProxyRoute.choose(null, new Recording(socks), target));
        assertEquals(Optional.of(HttpProxy.of("corp", 1)),
                ProxyRoute.choose(null, new Recording(socks, http("corp", 1)), target));
        assertEquals(Optional.empty(), ProxyRoute.choose(null, ProxySelector.of(null), target));
    }

    @Test
    void theJdkSelectorFollowsTheSystemProperties() {
        String[] names = {"https.proxyHost", "https.proxyPort", "http.proxyHost", "http.proxyPort", "http.nonProxyHosts"};
        String[] saved = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            saved[i] = System.getProperty(names[i]);
        }
        try {
            System.setProperty("https.proxyHost", "secure.proxy");
            System.setProperty("https.proxyPort", "3129");
            System.setProperty("http.proxyHost", "plain.proxy");
            System.setProperty("http.proxyPort", "3128");
            System.setProperty("http.nonProxyHosts", "*.internal");
            ProxySelector jdk = ProxySelector.getDefault();
            assertEquals(Optional.of(HttpProxy.of("secure.proxy", 3129)),
                    ProxyRoute.choose(null, jdk, URI.create("wss://a.example/")));
            assertEquals(Optional.of(HttpProxy.of("plain.proxy", 3128)),
                    ProxyRoute.choose(null, jdk, URI.create("ws://a.example/")));
            assertEquals(Optional.empty(), ProxyRoute.choose(null, jdk, URI.create("ws://db.internal/")));
        } finally {
            for (int i = 0; i < names.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(names[i]);
                } else {
                    System.setProperty(names[i], saved[i]);
                }
            }
        }
    }
}
