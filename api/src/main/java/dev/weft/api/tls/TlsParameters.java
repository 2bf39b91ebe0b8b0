package dev.weft.api.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.util.Arrays;
import java.util.List;

/**
 * The parameters both roles start from: what an engine of the context has in that role, with the
 * user's base parameters set on it, kept to TLS 1.3 and 1.2. They are read from an engine rather
 * than built field by field so that they hold every field of the running JDK's
 * {@link SSLParameters}, and what neither the base nor Weft sets keeps the context's own default.
 * Stateless.
 */
final class TlsParameters {

    private static final List<String> MODERN = List.of("TLSv1.3", "TLSv1.2");

    private TlsParameters() {
    }

    /**
     * New parameters for an engine or socket of {@code context} in one role.
     *
     * @param host the server a client connects to, or null on a server
     * @param base the user's parameters (a {@link #copyOf copy}), or null
     * @throws IllegalArgumentException if they enable neither TLS 1.3 nor TLS 1.2, or the context
     *     refuses the base
     */
    static SSLParameters of(SSLContext context, boolean clientMode, String host, int port, SSLParameters base) {
        SSLEngine engine = host == null ? context.createSSLEngine() : context.createSSLEngine(host, port);
        engine.setUseClientMode(clientMode);
        if (base != null) {
            engine.setSSLParameters(base);
        }
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(modern(parameters.getProtocols()));
        return parameters;
    }

    /**
     * A copy of {@code base} that nobody else can change. Cipher suites and protocols that the base
     * leaves unset stay unset, so that each context fills in its own.
     *
     * @throws IllegalArgumentException if {@code context} refuses the base
     */
    static SSLParameters copyOf(SSLParameters base, SSLContext context, boolean clientMode) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(clientMode);
        engine.setSSLParameters(base);
        SSLParameters copy = engine.getSSLParameters();
        copy.setCipherSuites(base.getCipherSuites());
        copy.setProtocols(base.getProtocols());
        return copy;
    }

    /** TLS 1.3 and 1.2, as far as they are enabled: a context or base restricted to one keeps to it. */
    private static String[] modern(String[] enabled) {
        String[] modern = Arrays.stream(enabled).filter(MODERN::contains).toArray(String[]::new);
        if (modern.length == 0) {
            throw new IllegalArgumentException("neither TLSv1.3 nor TLSv1.2 is enabled (by the SSLContext or the base "
                    + "SSLParameters), only " + Arrays.toString(enabled));
        }
        return modern;
    }
}
