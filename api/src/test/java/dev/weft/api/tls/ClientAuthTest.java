package dev.weft.api.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS client authentication over sockets: what each setting lets through, with and without a certificate. */
class ClientAuthTest {

    private static SelfSignedCertificate server;
    private static SelfSignedCertificate client;
    private static SelfSignedCertificate stranger;

    @BeforeAll
    static void certificates() throws IOException {
        server = SelfSignedCertificate.create();
        client = SelfSignedCertificate.create("client.test", "dns:client.test");
        stranger = SelfSignedCertificate.create("stranger.test", "dns:stranger.test");
    }

    @Test
    void noneAsksForNothing() throws Exception {
        SocketHandshake.Outcome outcome = SocketHandshake.run(server.serverTls(), withCertificate(client), "localhost");
        assertTrue(outcome.succeeded(), outcome.toString());
        assertThrows(SSLPeerUnverifiedException.class, () -> outcome.server().getPeerCertificates());
    }

    @Test
    void wantLetsAClientWithoutACertificateIn() throws Exception {
        SocketHandshake.Outcome outcome = SocketHandshake.run(asking(ClientAuth.WANT), server.clientTls(), "localhost");
        assertTrue(outcome.succeeded(), outcome.toString());
        assertThrows(SSLPeerUnverifiedException.class, () -> outcome.server().getPeerCertificates());
    }

    @Test
    void wantTakesATrustedCertificate() throws Exception {
        SocketHandshake.Outcome outcome = SocketHandshake.run(asking(ClientAuth.WANT), withCertificate(client), "localhost");
        assertTrue(outcome.succeeded(), outcome.toString());
        assertEquals("CN=client.test", subject(outcome.server()));
    }

    @Test
    void needRefusesAClientWithoutACertificate() throws Exception {
        SocketHandshake.Outcome outcome = SocketHandshake.run(asking(ClientAuth.NEED), server.clientTls(), "localhost");
        assertNotNull(outcome.clientFailure(), outcome.toString());
        assertNotNull(outcome.serverFailure(), outcome.toString());
    }

    @Test
    void wantLetsAStrangerInWithoutItsCertificate() throws Exception {
        // A JDK client sends only a certificate from an issuer the server names, so it sends none here.
        SocketHandshake.Outcome outcome = SocketHandshake.run(asking(ClientAuth.WANT), withCertificate(stranger), "localhost");
        assertTrue(outcome.succeeded(), outcome.toString());
        assertThrows(SSLPeerUnverifiedException.class, () -> outcome.server().getPeerCertificates());
    }

    @Test
    void needTakesATrustedCertificate() throws Exception {
        SocketHandshake.Outcome outcome = SocketHandshake.run(asking(ClientAuth.NEED), withCertificate(client), "localhost");
        assertTrue(outcome.succeeded(), outcome.toString());
        assertEquals("CN=client.test", subject(outcome.server()));
    }

    @Test
    void needRefusesACertificateItDoesNotTrust() throws Exception {
        SocketHandshake.Outcome outcome = SocketHandshake.run(asking(ClientAuth.NEED), withCertificate(stranger), "localhost");
        assertFalse(outcome.succeeded(), outcome.toString());
    }

    @Test
    void withoutTrustingClientsTheJdkTrustStoreDecides() throws Exception {
        ServerTls tls = server.serverTls().clientAuth(ClientAuth.NEED);
        assertFalse(SocketHandshake.run(tls, withCertificate(client), "localhost").succeeded());
    }

    /** The server, asking for client certificates and trusting {@link #client}'s. */
    private static ServerTls asking(ClientAuth clientAuth) throws IOException, GeneralSecurityException {
        return server.serverTls().clientAuth(clientAuth).trustingClients(client.certificateFile());
    }

    /** A client trusting the server and presenting {@code identity}. */
    private static ClientTls withCertificate(SelfSignedCertificate identity) throws IOException, GeneralSecurityException {
        return server.clientTls().withKeyStore(identity.keyStore(), identity.password());
    }

    private static String subject(SSLSession session) throws SSLPeerUnverifiedException {
        return ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
}
