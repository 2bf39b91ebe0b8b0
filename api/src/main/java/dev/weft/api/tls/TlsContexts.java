package dev.weft.api.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/**
 * Builds {@link SSLContext}s from their parts: key managers from key stores, trust managers from
 * certificates. Stateless.
 */
final class TlsContexts {

    private TlsContexts() {
    }

    /** Loads a PKCS12 or JKS key store, whichever its content is. */
    static KeyStore loadKeyStore(Path path, char[] password) throws IOException, GeneralSecurityException {
        try {
            return KeyStore.getInstance(path.toFile(), password);
        } catch (IOException e) {
            // The JDK's message ("keystore password was incorrect") does not say which store.
            throw new IOException("cannot load the key store " + path + ": " + e.getMessage(), e);
        }
    }

    /** Presents the key and certificate chain in {@code store}, whose keys use the store's password. */
    static KeyManager[] keys(KeyStore store, char[] password) throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        return keys.getKeyManagers();
    }

    /** Trusts exactly these certificates (as trust anchors). */
    static TrustManager[] trusting(Collection<? extends Certificate> certificates) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("trusted-" + i++, certificate);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        return trust.getTrustManagers();
    }

    /** Trusts any certificate at all. */
    static TrustManager[] trustingEverything() {
        return new TrustManager[] {new TrustingEverything()};
    }

    /**
     * What a context this package made is made of, so that one part can be replaced: a server's
     * trust in client certificates, a client's own certificate.
     *
     * @param keys what this end presents, or null for nothing
     * @param trust what this end accepts from its peer, or null for the JDK's default trust store
     */
    record Parts(KeyManager[] keys, TrustManager[] trust) {

        SSLContext context() throws GeneralSecurityException {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        }

        Parts withKeys(KeyManager[] keys) {
            return new Parts(keys, trust);
        }

        Parts withTrust(TrustManager[] trust) {
            return new Parts(keys, trust);
        }
    }

    /** The certificates in a PEM (one or more) or DER file. */
    static List<X509Certificate> readCertificates(Path file) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
            if (certificates.isEmpty()) {
                throw new CertificateException("no certificate in " + file);
            }
            return certificates;
        }
    }

    /**
     * Accepts every chain. It extends {@link X509ExtendedTrustManager} because the JDK wraps a plain
     * {@code X509TrustManager} in one that adds its own checks.
     */
    private static final class TrustingEverything extends X509ExtendedTrustManager {
        private static final X509Certificate[] NONE = {};

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // Trusts everything, by definition.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // Trusts everything, by definition.
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // Trusts everything, by definition.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // Trusts everything, by definition.
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // Trusts everything, by definition.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // Trusts everything, by definition.
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return NONE;
        }
    }
}
