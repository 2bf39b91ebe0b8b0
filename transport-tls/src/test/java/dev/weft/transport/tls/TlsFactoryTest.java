package dev.weft.transport.tls;

import dev.weft.api.Role;
import dev.weft.api.tls.ClientAuth;
import dev.weft.api.tls.ClientTls;
import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.api.tls.ServerTls;
import dev.weft.transport.nio.NetworkLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engines the factories make, configured by ServerTls and ClientTls, and what the factories refuse. */
class TlsFactoryTest {

    private static SelfSignedCertificate cert;

    @BeforeAll
    static void certificate() throws IOException {
        cert = SelfSignedCertificate.create();
    }

    @Test
    void everyFactoryIsSecure() throws Exception {
        for (NetworkLayer.Factory factory : List.of(Tls.server(cert.serverTls()), Tls.client(ClientTls.defaults()),
                Tls.client(cert.clientTls()), Tls.client(ClientTls.insecure()),
                Tls.server(ServerTls.bySni(name -> null, cert.serverContext())))) {
            assertTrue(factory.isSecure(), factory.toString());
        }
    }

    @Test
    void serverEnginesTakeTheServerTlsParameters() {
        SSLEngine engine = TlsFactory.serverEngine(cert.serverTls().clientAuth(ClientAuth.NEED), null);
        SSLParameters parameters = engine.getSSLParameters();
        assertEquals(Set.of("TLSv1.3", "TLSv1.2"), Set.of(parameters.getProtocols()));
        assertArrayEquals(new String[] {"http/1.1"}, parameters.getApplicationProtocols());
        assertTrue(parameters.getNeedClientAuth());
        assertFalse(engine.getUseClientMode());
    }

    @Test
    void clientEnginesTakeTheClientTlsParameters() {
        SSLEngine engine = TlsFactory.clientEngine(cert.clientTls(), "example.test", 443);
        SSLParameters parameters = engine.getSSLParameters();
        assertEquals("HTTPS", parameters.getEndpointIdentificationAlgorithm());
        assertEquals(List.of(new SNIHostName("example.test")), parameters.getServerNames());
        assertEquals(Set.of("TLSv1.3", "TLSv1.2"), Set.of(parameters.getProtocols()));
        assertEquals("example.test", engine.getPeerHost());
        assertTrue(engine.getUseClientMode());
    }

    @Test
    void bracketsOfAnIpv6HostAreStripped() {
        NetworkLayer layer = Tls.client(cert.clientTls()).create(Role.CLIENT, "[::1]", 8443);
        assertEquals("TlsLayer[CLIENT [::1]:8443 HANDSHAKING]", layer.toString());
    }

    @Test
    void aContextPinnedToOneVersionKeepsIt() {
        SSLParameters parameters = TlsFactory.serverEngine(ServerTls.of(PinnedContext.of(cert.serverContext(), "TLSv1.2")), null)
                .getSSLParameters();
        assertArrayEquals(new String[] {"TLSv1.2"}, parameters.getProtocols());
    }

    @Test
    void aContextWithOnlyOlderVersionsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.of(PinnedContext.of(cert.serverContext(), "TLSv1.1")));
        assertTrue(e.getMessage().contains("neither TLSv1.3 nor TLSv1.2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClientTls.of(PinnedContext.of(cert.clientContext(), "TLSv1")));
    }

    @Test
    void aLayerForTheOtherRoleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Tls.server(cert.serverTls()).create(Role.CLIENT, "localhost", 443));
        assertThrows(IllegalArgumentException.class, () -> Tls.client(cert.clientTls()).create(Role.SERVER, "127.0.0.1", 5000));
    }
}
