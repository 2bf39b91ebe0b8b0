package dev.weft.api.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The certificates keytool makes for development. */
class SelfSignedCertificateTest {

    private static final int DNS = 2;
    private static final int IP = 7;

    private static SelfSignedCertificate cert;

    @BeforeAll
    static void create() throws IOException {
        cert = SelfSignedCertificate.create();
    }

    @Test
    void isForLocalhostAndItsAddresses() throws Exception {
        X509Certificate c = cert.certificate();
        assertEquals("CN=localhost", c.getSubjectX500Principal().getName());
        assertEquals(Set.of(List.of(DNS, "localhost"), List.of(IP, "127.0.0.1"), List.of(IP, "0:0:0:0:0:0:0:1")),
                alternativeNames(c));
    }

    @Test
    void isSelfSignedAndValidForAMonth() throws Exception {
        X509Certificate c = cert.certificate();
        assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
        c.verify(c.getPublicKey());
        c.checkValidity();
        Duration left = Duration.between(Instant.now(), c.getNotAfter().toInstant());
        assertTrue(left.toDays() >= SelfSignedCertificate.VALIDITY_DAYS - 1 && left.toDays() <= SelfSignedCertificate.VALIDITY_DAYS,
                left.toString());
    }

    @Test
    void theKeyStoreOpensWithThePassword() throws Exception {
        KeyStore store = KeyStore.getInstance(cert.keyStore().toFile(), cert.password());
        assertEquals("PKCS12", store.getType());
        String alias = store.aliases().nextElement();
        assertInstanceOf(PrivateKey.class, store.getKey(alias, cert.password()));
        assertEquals(cert.certificate(), store.getCertificate(alias));
        ServerTls.fromKeyStore(cert.keyStore(), cert.password());
    }

    @Test
    void thePemFileHoldsTheCertificate() throws Exception {
        assertTrue(Files.readString(cert.certificateFile()).startsWith("-----BEGIN CERTIFICATE-----\n"));
        assertEquals(List.of(cert.certificate()), TlsContexts.readCertificates(cert.certificateFile()));
        ClientTls.trusting(cert.certificateFile());
    }

    @Test
    void thePasswordIsACopy() {
        char[] password = cert.password();
        assertNotSame(password, cert.password());
        password[0] ^= 1;
        assertTrue(password[0] != cert.password()[0]);
        assertArrayEquals(cert.password(), cert.password());
    }

    @Test
    void takesItsOwnNames() throws Exception {
        X509Certificate c = SelfSignedCertificate.create("a.test", "dns:a.test").certificate();
        assertEquals("CN=a.test", c.getSubjectX500Principal().getName());
        assertEquals(Set.of(List.of(DNS, "a.test")), alternativeNames(c));
    }

    @Test
    void refusesNamesThatAreNotHostsOrAddresses() {
        assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificate.create("localhost,O=Evil"));
        assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificate.create("localhost", "uri:http://x"));
        assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificate.create("localhost", "dns:a,ip:1.2.3.4"));
    }

    private static Set<List<?>> alternativeNames(X509Certificate c) throws Exception {
        return c.getSubjectAlternativeNames().stream().map(List::copyOf).collect(Collectors.toSet());
    }
}
