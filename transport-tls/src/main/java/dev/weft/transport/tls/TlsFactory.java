package dev.weft.transport.tls;

import dev.weft.api.Role;
import dev.weft.transport.nio.NetworkLayer;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Makes {@link TlsLayer}s for one role, and configures the engines they run on: TLS 1.3 and 1.2
 * only; servers offer ALPN {@code http/1.1}; clients send SNI and, unless told otherwise, check
 * the server's host name. Thread-safe.
 */
final class TlsFactory implements NetworkLayer.Factory {

    /** Makes the engine of one connection. Called on the connection's loop. */
    interface Engines {
        /**
         * @param host the host a client connects to (brackets stripped), or the client's address
         * @param serverName the host name a client asked a server for (SNI), or null
         */
        SSLEngine create(String host, int port, String serverName);
    }

    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final String[] APPLICATION_PROTOCOLS = {"http/1.1"};
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Role role;
    private final Engines engines;
    private final String description;

    TlsFactory(Role role, Engines engines, String description) {
        this.role = role;
        this.engines = engines;
        this.description = description;
    }

    @Override
    public NetworkLayer create(Role role, String peerHost, int peerPort) {
        if (role != this.role) {
            throw new IllegalArgumentException(description + " secures " + name(this.role) + "s, not " + name(role) + "s");
        }
        String host = peerHost.startsWith("[") && peerHost.endsWith("]") ? peerHost.substring(1, peerHost.length() - 1) : peerHost;
        return new TlsLayer(role, host, peerPort, serverName -> engines.create(host, peerPort, serverName));
    }

    @Override
    public boolean isSecure() {
        return true;
    }

    @Override
    public String toString() {
        return description;
    }

    private static String name(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    /** A server engine from {@code context}. */
    static SSLEngine serverEngine(SSLContext context) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(modernProtocols(parameters.getProtocols()));
        parameters.setApplicationProtocols(APPLICATION_PROTOCOLS);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /**
     * A client engine from {@code context} for {@code host}: it sends {@code host} as SNI unless it
     * is an IP address (RFC 6066 §3 allows names only), and checks that the server's certificate is
     * for {@code host} if {@code verifyHostName}.
     */
    static SSLEngine clientEngine(SSLContext context, String host, int port, boolean verifyHostName) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(modernProtocols(parameters.getProtocols()));
        if (verifyHostName) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!isIpLiteral(host)) {
            try {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            } catch (IllegalArgumentException e) {
                // Not a name SNI can carry (an underscore, say): the connection can go on without it.
            }
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** TLS 1.3 and 1.2, as far as the context enables them: a context restricted to one keeps to it. */
    private static String[] modernProtocols(String[] enabled) {
        String[] modern = Arrays.stream(enabled).filter(PROTOCOLS::contains).toArray(String[]::new);
        if (modern.length == 0) {
            throw new IllegalArgumentException("the SSLContext enables neither TLSv1.3 nor TLSv1.2: " + Arrays.toString(enabled));
        }
        return modern;
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4_LITERAL.matcher(host).matches();
    }
}
