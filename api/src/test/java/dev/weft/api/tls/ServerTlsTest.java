package dev.weft.api.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a server's TLS configuration gives a transport, and what it refuses. */
class ServerTlsTest {

    private static SelfSignedCertificate cert;
    private static SelfSignedCertificate other;

    @BeforeAll
    static void certificates() throws IOException {
        cert = SelfSignedCertificate.create();
        other = SelfSignedCertificate.create("other.test", "dns:other.test");
    }

    @Test
    void serversSpeakTls13And12AndOfferHttp11() {
        SSLParameters parameters = cert.serverTls().parameters(cert.serverContext());
        assertEquals(Set.of("TLSv1.3", "TLSv1.2"), Set.of(parameters.getProtocols()));
        assertArrayEquals(new String[] {"http/1.1"}, parameters.getApplicationProtocols());
    }

    @Test
    void clientAuthenticationIsAsAsked() {
        ServerTls tls = cert.serverTls();
        SSLParameters none = tls.parameters(cert.serverContext());
        assertFalse(none.getWantClientAuth() || none.getNeedClientAuth());
        SSLParameters want = tls.clientAuth(ClientAuth.WANT).parameters(cert.serverContext());
        assertTrue(want.getWantClientAuth() && !want.getNeedClientAuth());
        SSLParameters need = tls.clientAuth(ClientAuth.NEED).parameters(cert.serverContext());
        assertTrue(need.getNeedClientAuth());
    }

    @Test
    void eachCallGivesNewParameters() {
        ServerTls tls = cert.serverTls();
        SSLParameters first = tls.parameters(cert.serverContext());
        first.setApplicationProtocols(new String[] {"h2"});
        assertArrayEquals(new String[] {"http/1.1"}, tls.parameters(cert.serverContext()).getApplicationProtocols());
    }

    @Test
    void theSniFunctionChoosesTheContextAndNullMeansTheFallback() {
        List<String> asked = new ArrayList<>();
        ServerTls tls = ServerTls.bySni(name -> {
            asked.add(name);
            return name.equals("other.test") ? other.serverContext() : null;
        }, cert.serverContext());
        assertSame(other.serverContext(), tls.context("Other.TEST"));
        assertSame(cert.serverContext(), tls.context("unknown.test"));
        assertSame(cert.serverContext(), tls.context(null));
        assertEquals(List.of("other.test", "unknown.test"), asked);
    }

    @Test
    void aFailingSniFunctionFailsThatCallOnly() {
        ServerTls tls = ServerTls.bySni(name -> {
            throw new IllegalStateException("no context for " + name);
        }, cert.serverContext());
        assertThrows(IllegalStateException.class, () -> tls.context("a.test"));
        assertSame(cert.serverContext(), tls.context(null));
    }

    @Test
    void aSingleContextServesEveryName() {
        ServerTls tls = ServerTls.of(cert.serverContext());
        assertSame(cert.serverContext(), tls.context("a.test"));
        assertSame(cert.serverContext(), tls.context(null));
    }

    @Test
    void baseParametersComeFirstThenWeftsRules() throws Exception {
        String suite = "TLS_AES_256_GCM_SHA384";
        SSLParameters base = new SSLParameters(new String[] {suite}, new String[] {"TLSv1.3"});
        base.setNeedClientAuth(true);
        base.setApplicationProtocols(new String[] {"h2"});
        ServerTls tls = cert.serverTls().withParameters(base);
        base.setCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256"});

        SSLParameters parameters = tls.parameters(cert.serverContext());
        assertArrayEquals(new String[] {suite}, parameters.getCipherSuites());
        assertArrayEquals(new String[] {"TLSv1.3"}, parameters.getProtocols());
        assertArrayEquals(new String[] {"http/1.1"}, parameters.getApplicationProtocols());
        assertFalse(parameters.getNeedClientAuth(), "ClientAuth decides, not the base");

        SocketHandshake.Outcome outcome = SocketHandshake.run(tls, cert.clientTls(), "localhost");
        assertTrue(outcome.succeeded(), outcome.toString());
        assertEquals("TLSv1.3", outcome.client().getProtocol());
        assertEquals(suite, outcome.client().getCipherSuite());
    }

    @Test
    void baseParametersThatAllowOnlyOlderVersionsAreRefused() {
        SSLParameters base = new SSLParameters();
        base.setProtocols(new String[] {"TLSv1.1"});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cert.serverTls().withParameters(base));
        assertTrue(e.getMessage().contains("neither TLSv1.3 nor TLSv1.2"), e.getMessage());
    }

    @Test
    void aPkcs12KeyStoreServes() throws Exception {
        ServerTls tls = ServerTls.fromKeyStore(cert.keyStore(), cert.password());
        assertTrue(SocketHandshake.run(tls, cert.clientTls(), "localhost").succeeded());
    }

    @Test
    void aJksKeyStoreServesToo(@TempDir Path directory) throws Exception {
        KeyStore pkcs12 = KeyStore.getInstance(cert.keyStore().toFile(), cert.password());
        String alias = pkcs12.aliases().nextElement();
        KeyStore jks = KeyStore.getInstance("JKS");
        jks.load(null, null);
        jks.setKeyEntry(alias, pkcs12.getKey(alias, cert.password()), cert.password(), pkcs12.getCertificateChain(alias));
        Path file = directory.resolve("server.keystore");
        try (OutputStream out = Files.newOutputStream(file)) {
            jks.store(out, cert.password());
        }
        SocketHandshake.Outcome outcome = SocketHandshake.run(ServerTls.fromKeyStore(file, cert.password()),
                cert.clientTls(), "localhost");
        assertTrue(outcome.succeeded(), outcome.toString());
    }

    @Test
    void aWrongKeyStorePasswordNamesTheFile() {
        IOException e = assertThrows(IOException.class, () -> ServerTls.fromKeyStore(cert.keyStore(), "wrong".toCharArray()));
        assertTrue(e.getMessage().startsWith("cannot load the key store " + cert.keyStore()), e.getMessage());
    }

    @Test
    void aServerMadeFromAContextLeavesTrustToIt() {
        SSLContext context = cert.serverContext();
        assertThrows(IllegalStateException.class, () -> ServerTls.of(context).trustingClients(other.certificateFile()));
        assertThrows(IllegalStateException.class,
                () -> ServerTls.bySni(name -> null, context).trustingClients(other.certificateFile()));
    }
}
