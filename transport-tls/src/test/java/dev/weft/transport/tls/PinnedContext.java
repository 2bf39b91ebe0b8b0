package dev.weft.transport.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A context whose engines enable one protocol version only, as a user restricts a context, and that
 * keeps the engines it made so a test can ask which version they negotiated. Thread-safe.
 */
final class PinnedContext extends SSLContext {

    private final List<SSLEngine> engines;

    private PinnedContext(SSLContext delegate, String protocol, List<SSLEngine> engines) {
        super(new Spi(delegate, protocol, engines), delegate.getProvider(), delegate.getProtocol());
        this.engines = engines;
    }

    static PinnedContext of(SSLContext delegate, String protocol) {
        return new PinnedContext(delegate, protocol, new CopyOnWriteArrayList<>());
    }

    /** The protocol the latest engine negotiated (the factories make one up front, to check the context). */
    String negotiated() {
        return engines.get(engines.size() - 1).getSession().getProtocol();
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;
        private final String protocol;
        private final List<SSLEngine> engines;

        Spi(SSLContext delegate, String protocol, List<SSLEngine> engines) {
            this.delegate = delegate;
            this.protocol = protocol;
            this.engines = engines;
        }

        private SSLEngine pinned(SSLEngine engine) {
            engine.setEnabledProtocols(new String[] {protocol});
            engines.add(engine);
            return engine;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("already initialised");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return pinned(delegate.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return pinned(delegate.createSSLEngine(host, port));
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }
    }
}
