package dev.weft.transport.tls;

import dev.weft.api.Role;
import dev.weft.testing.loop.ManualScheduler;
import dev.weft.transport.nio.NetworkLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the factories configure their engines, and what they refuse. */
class TlsFactoryTest {

    private static SelfSignedCertificate cert;

    @BeforeAll
    static void certificate() throws IOException {
        cert = SelfSignedCertificate.create();
    }

    @Test
    void everyFactoryIsSecure() throws Exception {
        for (NetworkLayer.Factory factory : List.of(Tls.server(cert.serverContext()), Tls.client(),
                Tls.client(cert.clientContext()), Tls.clientTrusting(cert.certificateFile()), Tls.insecureClient(),
                Tls.server(name -> null, cert.serverContext()))) {
            assertTrue(factory.isSecure(), factory.toString());
        }
    }

    @Test
    void serversSpeakTls13And12AndOfferHttp11() {
        SSLParameters parameters = TlsFactory.serverEngine(cert.serverContext()).getSSLParameters();
        assertEquals(Set.of("TLSv1.3", "TLSv1.2"), Set.of(parameters.getProtocols()));
        assertArrayEquals(new String[] {"http/1.1"}, parameters.getApplicationProtocols());
    }

    @Test
    void clientsCheckTheHostNameAndSendItAsSni() {
        SSLEngine engine = TlsFactory.clientEngine(cert.clientContext(), "example.test", 443, true);
        SSLParameters parameters = engine.getSSLParameters();
        assertEquals("HTTPS", parameters.getEndpointIdentificationAlgorithm());
        assertEquals(List.of(new SNIHostName("example.test")), parameters.getServerNames());
        assertEquals(Set.of("TLSv1.3", "TLSv1.2"), Set.of(parameters.getProtocols()));
        assertTrue(engine.getUseClientMode());
    }

    @Test
    void addressesAreNotSentAsSni() {
        for (String address : List.of("127.0.0.1", "::1")) {
            List<?> names = TlsFactory.clientEngine(cert.clientContext(), address, 443, true).getSSLParameters().getServerNames();
            assertTrue(names == null || names.isEmpty(), address + ": " + names);
        }
    }

    @Test
    void theInsecureClientChecksNoHostName() {
        SSLParameters parameters = TlsFactory.clientEngine(cert.clientContext(), "example.test", 443, false).getSSLParameters();
        assertNull(parameters.getEndpointIdentificationAlgorithm());
    }

    @Test
    void bracketsOfAnIpv6HostAreStripped() {
        NetworkLayer layer = Tls.client(cert.clientContext()).create(Role.CLIENT, "[::1]", 8443);
        assertEquals("TlsLayer[CLIENT [::1]:8443 HANDSHAKING]", layer.toString());
    }

    @Test
    void aContextPinnedToOneVersionKeepsIt() {
        SSLParameters parameters = TlsFactory.serverEngine(PinnedContext.of(cert.serverContext(), "TLSv1.2")).getSSLParameters();
        assertArrayEquals(new String[] {"TLSv1.2"}, parameters.getProtocols());
    }

    @Test
    void aContextWithOnlyOlderVersionsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tls.server(PinnedContext.of(cert.serverContext(), "TLSv1.1")));
        assertTrue(e.getMessage().contains("neither TLSv1.3 nor TLSv1.2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tls.client(PinnedContext.of(cert.clientContext(), "TLSv1")));
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

        ManualScheduler loop = new ManualScheduler();
        MemoryLink client = new MemoryLink(Tls.client(cert.clientContext()).create(Role.CLIENT, "localhost", 443), loop, 1 << 20);
        MemoryLink server = new MemoryLink(Tls.server(file, cert.password()).create(Role.SERVER, "127.0.0.1", 50000), loop, 1 << 20);
        MemoryLink.connect(client, server);
        loop.runUntil(() -> client.opens == 1 && server.opens == 1);
    }

    @Test
    void aWrongKeyStorePasswordNamesTheFile() {
        IOException e = assertThrows(IOException.class, () -> Tls.server(cert.keyStore(), "wrong".toCharArray()));
        assertTrue(e.getMessage().startsWith("cannot load the key store " + cert.keyStore()), e.getMessage());
    }

    @Test
    void aLayerForTheOtherRoleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Tls.server(cert.serverContext()).create(Role.CLIENT, "localhost", 443));
        assertThrows(IllegalArgumentException.class, () -> Tls.client(cert.clientContext()).create(Role.SERVER, "127.0.0.1", 5000));
    }

    @Test
    void theInsecureClientWarnsOncePerFactory() {
        Logger logger = Logger.getLogger(Tls.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            NetworkLayer.Factory insecure = Tls.insecureClient();
            insecure.create(Role.CLIENT, "localhost", 443);
            insecure.create(Role.CLIENT, "localhost", 443);
            Tls.insecureClient();
        } finally {
            logger.removeHandler(handler);
        }
        assertEquals(2, records.size());
        assertTrue(records.stream().allMatch(r -> r.getLevel() == Level.WARNING));
        assertTrue(records.get(0).getMessage().contains("trusts every certificate"), records.get(0).getMessage());
    }
}
