package dev.weft.api.tls;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A throw-away self-signed certificate for development and tests: an EC (P-256) key and a
 * certificate valid for {@value #VALIDITY_DAYS} days, by default for {@code localhost},
 * {@code 127.0.0.1} and {@code ::1}, in a PKCS12 key store in a new temporary directory (removed
 * when the JVM exits). It is made by the JDK's own {@code keytool}, so nothing beyond the JDK is
 * needed. Immutable and thread-safe.
 *
 * <pre>{@code
 * SelfSignedCertificate cert = SelfSignedCertificate.create();
 * WebSocketServer.builder().networkLayer(Tls.server(cert.serverTls()))...   // weft-transport-tls
 * WebSocketClient.builder().secureLayer(Tls.client(cert.clientTls()))...
 * }</pre>
 *
 * <p>Two of them make client authentication testable: a server
 * {@code cert.serverTls().clientAuth(ClientAuth.NEED).trustingClients(clientCert.certificateFile())}
 * and a client {@code cert.clientTls().withKeyStore(clientCert.keyStore(), clientCert.password())}.
 */
public final class SelfSignedCertificate {

    /** How long the certificate is valid, from now. */
    public static final int VALIDITY_DAYS = 30;

    private static final String ALIAS = "weft";
    private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);
    /** keytool reads the password from this variable, so it never shows in a process list. */
    private static final String PASSWORD_VARIABLE = "WEFT_KEYSTORE_PASSWORD";
    private static final Pattern COMMON_NAME = Pattern.compile("[A-Za-z0-9.*_-]+");
    private static final Pattern ALTERNATIVE_NAME = Pattern.compile("(dns:[A-Za-z0-9.*_-]+|ip:[0-9A-Fa-f.:]+)");

    private final Path keyStore;
    private final char[] password;
    private final X509Certificate certificate;
    private final Path certificateFile;
    private final ServerTls serverTls;
    private final ClientTls clientTls;

    private SelfSignedCertificate(Path keyStore, char[] password, X509Certificate certificate, Path certificateFile,
                                  ServerTls serverTls, ClientTls clientTls) {
        this.keyStore = keyStore;
        this.password = password;
        this.certificate = certificate;
        this.certificateFile = certificateFile;
        this.serverTls = serverTls;
        this.clientTls = clientTls;
    }

    /**
     * A certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}.
     *
     * @throws IOException if {@code keytool} cannot be run or fails
     */
    public static SelfSignedCertificate create() throws IOException {
        return create("localhost", "dns:localhost", "ip:127.0.0.1", "ip:::1");
    }

    /**
     * A certificate with its own names.
     *
     * @param commonName the subject's CN, such as {@code localhost}
     * @param subjectAlternativeNames what clients check the host name against, each {@code dns:NAME}
     *     or {@code ip:ADDRESS}; none at all makes a certificate no host-name check accepts
     * @throws IllegalArgumentException if a name is not of that form
     * @throws IOException if {@code keytool} cannot be run or fails
     */
    public static SelfSignedCertificate create(String commonName, String... subjectAlternativeNames) throws IOException {
        if (!COMMON_NAME.matcher(commonName).matches()) {
            throw new IllegalArgumentException("not a host-like common name: " + commonName);
        }
        for (String name : subjectAlternativeNames) {
            if (!ALTERNATIVE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not dns:NAME or ip:ADDRESS: " + name);
            }
        }
        Path directory = Files.createTempDirectory("weft-tls-");
        Path keyStore = directory.resolve("keystore.p12");
        Path certificateFile = directory.resolve("certificate.pem");
        Path log = directory.resolve("keytool.log");
        // deleteOnExit deletes in reverse order: the files, then their directory.
        for (Path p : List.of(directory, keyStore, certificateFile, log)) {
            p.toFile().deleteOnExit();
        }
        char[] password = randomPassword();
        runKeytool(commonName, subjectAlternativeNames, keyStore, password, log);
        try {
            KeyStore store = TlsContexts.loadKeyStore(keyStore, password);
            X509Certificate certificate = (X509Certificate) store.getCertificate(ALIAS);
            Files.writeString(certificateFile, pem(certificate), StandardCharsets.US_ASCII);
            return new SelfSignedCertificate(keyStore, password, certificate, certificateFile,
                    ServerTls.presenting(TlsContexts.keys(store, password)),
                    ClientTls.trusting(TlsContexts.trusting(List.of(certificate))));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the key store keytool made in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The PKCS12 key store holding the private key and the certificate. */
    public Path keyStore() {
        return keyStore;
    }

    /** The key store's password, which is also the key's (a copy). */
    public char[] password() {
        return password.clone();
    }

    /** The certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * A PEM file of the certificate, for a client to trust ({@link ClientTls#trusting}, a
     * {@code --trust-cert} option) or a server to trust as a client's ({@link ServerTls#trustingClients}).
     */
    public Path certificateFile() {
        return certificateFile;
    }

    /**
     * A server presenting this certificate, made from its key store, so that
     * {@link ServerTls#trustingClients} can be used on it.
     */
    public ServerTls serverTls() {
        return serverTls;
    }

    /**
     * A client that trusts this certificate and nothing else and checks host names, so that
     * {@link ClientTls#withKeyStore} can be used on it.
     */
    public ClientTls clientTls() {
        return clientTls;
    }

    /** A server context presenting this certificate, for a server not built on {@link ServerTls}. */
    public SSLContext serverContext() {
        return serverTls.context(null);
    }

    /** A client context that trusts this certificate and nothing else, for clients such as the JDK's {@code HttpClient}. */
    public SSLContext clientContext() {
        return clientTls.context();
    }

    @Override
    public String toString() {
        return "SelfSignedCertificate[" + certificate.getSubjectX500Principal().getName() + ", " + keyStore + "]";
    }

    private static void runKeytool(String commonName, String[] alternativeNames, Path keyStore, char[] password, Path log)
            throws IOException {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", windows ? "keytool.exe" : "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException("cannot make a self-signed certificate: this Java runtime has no keytool at " + keytool);
        }
        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=" + commonName, "-validity", Integer.toString(VALIDITY_DAYS),
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass:env", PASSWORD_VARIABLE));
        if (alternativeNames.length > 0) {
            command.addAll(List.of("-ext", "SAN=" + String.join(",", alternativeNames)));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put(PASSWORD_VARIABLE, new String(password));
        Process process = builder.start();
        try {
            if (!process.waitFor(KEYTOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within " + KEYTOOL_TIMEOUT.toSeconds() + " s: " + command);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while keytool made a certificate");
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool failed with exit code " + process.exitValue() + ": "
                    + Files.readString(log, StandardCharsets.UTF_8).strip());
        }
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    private static String pem(X509Certificate certificate) throws CertificateEncodingException {
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return "-----BEGIN CERTIFICATE-----\n" + base64.encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
