package dev.weft.transport.tls;

import dev.weft.api.Role;
import dev.weft.api.tls.ClientTls;
import dev.weft.api.tls.ServerTls;
import dev.weft.transport.nio.NetworkLayer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.util.Locale;

/**
 * Makes {@link TlsLayer}s for one role, and the engines they run on, configured as a
 * {@link ServerTls} or {@link ClientTls} says. Thread-safe.
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

    /** The engine of a server connection whose client asked for {@code serverName} (null: none). */
    static SSLEngine serverEngine(ServerTls tls, String serverName) {
        SSLContext context = tls.context(serverName);
        SSLParameters parameters = tls.parameters(context);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** The engine of a client connection to {@code host}. */
    static SSLEngine clientEngine(ClientTls tls, String host, int port) {
        SSLParameters parameters = tls.parameters(host, port);
        SSLEngine engine = tls.context().createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(parameters);
        return engine;
    }
}
