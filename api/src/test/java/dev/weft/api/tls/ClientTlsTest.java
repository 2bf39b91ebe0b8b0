package dev.weft.api.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a client's TLS configuration gives a transport, and whom it trusts. */
class ClientTlsTest {

    private static SelfSignedCertificate cert;

    @BeforeAll
    static void certificate() throws IOException {
        cert = SelfSignedCertificate.create();
    }

    @Test
    void clientsCheckTheHostNameAndSendItAsSni() {
        SSLParameters parameters = ClientTls.defaults().parameters("example.test", 443);
        assertEquals("HTTPS", parameters.getEndpointIdentificationAlgorithm());
        assertEquals(List.of(new SNIHostName("example.test")), parameters.getServerNames());
        assertEquals(Set.of("TLSv1.3", "TLSv1.2"), Set.of(parameters.getProtocols()));
    }

    @Test
    void addressesAndNamesSniCannotCarryAreNotSent() {
        for (String host : List.of("127.0.0.1", "::1", "under_score.test")) {
            assertEquals(List.of(), cert.clientTls().parameters(host, 443).getServerNames(), host);
        }
    }

    @Test
    void theInsecureClientChecksNoHostName() {
        assertNull(ClientTls.insecure().parameters("example.test", 443).getEndpointIdentificationAlgorithm());
    }

    @Test
    void aContextThatEnablesOnlyTls12KeepsToIt() throws Exception {
        SSLContext tls12 = SSLContext.getInstance("TLSv1.2");
        tls12.init(null, null, null);
        assertArrayEquals(new String[] {"TLSv1.2"}, ClientTls.of(tls12).parameters("example.test", 443).getProtocols());
    }

    @Test
    void baseParametersComeFirstThenWeftsRules() {
        SSLParameters base = new SSLParameters();
        base.setProtocols(new String[] {"TLSv1.2", "TLSv1.1"});
        base.setEndpointIdentificationAlgorithm("LDAPS");
        ClientTls tls = cert.clientTls().withParameters(base);
        base.setProtocols(new String[] {"TLSv1.3"});

        SSLParameters parameters = tls.parameters("localhost", 443);
        assertArrayEquals(new String[] {"TLSv1.2"}, parameters.getProtocols());
        assertEquals("HTTPS", parameters.getEndpointIdentificationAlgorithm());
    }

    @Test
    void aClientTrustingTheCertificateFileConnectsAndChecksTheName() throws Exception {
        ServerTls localhostOnly = SelfSignedCertificate.create("localhost", "dns:localhost").serverTls();
        ClientTls trusting = ClientTls.trusting(cert.certificateFile());
        assertTrue(SocketHandshake.run(cert.serverTls(), trusting, "localhost").succeeded());
        assertFalse(SocketHandshake.run(localhostOnly, trusting, "localhost").succeeded(), "another certificate");
        assertFalse(SocketHandshake.run(cert.serverTls(), trusting, "example.test").succeeded(), "another name");
    }

    @Test
    void theDefaultTrustStoreRefusesASelfSignedCertificate() throws Exception {
        SocketHandshake.Outcome outcome = SocketHandshake.run(cert.serverTls(), ClientTls.defaults(), "localhost");
        assertFalse(outcome.succeeded());
    }

    @Test
    void theInsecureClientConnectsAnywhere() throws Exception {
        assertTrue(SocketHandshake.run(cert.serverTls(), ClientTls.insecure(), "example.test").succeeded());
    }

    @Test
    void theContextIsTheOneGiven() {
        assertSame(cert.clientContext(), ClientTls.of(cert.clientContext()).context());
    }

    @Test
    void aClientMadeFromAContextLeavesItsCertificateToIt() {
        assertThrows(IllegalStateException.class,
                () -> ClientTls.of(cert.clientContext()).withKeyStore(cert.keyStore(), cert.password()));
    }

    @Test
    void theInsecureClientWarnsEachTimeOneIsMade() {
        Logger logger = Logger.getLogger(ClientTls.class.getName());
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
            ClientTls insecure = ClientTls.insecure();
            insecure.parameters("localhost", 443);
            insecure.withParameters(new SSLParameters());
            ClientTls.insecure();
        } finally {
            logger.removeHandler(handler);
        }
        assertEquals(2, records.size());
        assertTrue(records.stream().allMatch(r -> r.getLevel() == Level.WARNING));
        assertTrue(records.get(0).getMessage().contains("trusts every certificate"), records.get(0).getMessage());
    }
}
