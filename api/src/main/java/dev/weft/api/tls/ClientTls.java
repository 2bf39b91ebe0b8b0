package dev.weft.api.tls;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import static java.lang.System.Logger.Level.WARNING;

/**
 * How a {@code wss://} client secures its connections, whichever transport runs it: which server
 * certificates it trusts, whether it checks the server's host name, an optional certificate of its
 * own for servers that ask for one, and base {@link SSLParameters}. Every connection is TLS 1.3 or
 * 1.2 (never older, even if the context allows it; a context that enables only one of them keeps
 * to that one) and sends the host it connects to as SNI, unless that is an IP address.
 *
 * <p>A transport makes each connection's {@link SSLEngine} or {@link SSLSocket} from
 * {@link #context()} and configures it with {@link #parameters(String, int)}:
 * <pre>{@code
 * SSLParameters parameters = tls.parameters(host, port);
 * SSLEngine engine = tls.context().createSSLEngine(host, port);
 * engine.setUseClientMode(true);
 * engine.setSSLParameters(parameters);
 * }</pre>
 *
 * <p>Immutable and thread-safe: each {@code with}-style method returns a new instance, and one
 * instance may serve any number of clients.
 */
public final class ClientTls {

    private static final System.Logger LOG = System.getLogger(ClientTls.class.getName());

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final SSLContext context;
    /** What {@link #context} is made of when this class made it; null for a context the user gave. */
    private final TlsContexts.Parts parts;
    private final boolean checksHostName;
    /** A private copy of the user's base parameters, or null. */
    private final SSLParameters base;

    private ClientTls(SSLContext context, TlsContexts.Parts parts, boolean checksHostName, SSLParameters base) {
        this.context = context;
        this.parts = parts;
        this.checksHostName = checksHostName;
        this.base = base;
        parameters("localhost", 443);
    }

    /**
     * A client that trusts the JDK's default trust store (its CAs, or
     * {@code javax.net.ssl.trustStore}) and checks the server's host name.
     */
    public static ClientTls defaults() {
        try {
            return new ClientTls(SSLContext.getDefault(), new TlsContexts.Parts(null, null), true, null);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /**
     * A client that trusts what {@code context} trusts, presents what it presents, and checks that
     * the server's certificate is for the host it connects to (RFC 2818 rules).
     *
     * @throws IllegalArgumentException if the context enables neither TLS 1.3 nor TLS 1.2
     */
    public static ClientTls of(SSLContext context) {
        return new ClientTls(Objects.requireNonNull(context), null, true, null);
    }

    /**
     * A client that trusts exactly the certificates in one file, such as a server's self-signed
     * certificate, and still checks the server's host name against it.
     *
     * @param certificateFile a PEM (one or more certificates) or DER file
     * @throws IOException if the file cannot be read
     * @throws GeneralSecurityException if it holds no certificate
     */
    public static ClientTls trusting(Path certificateFile) throws IOException, GeneralSecurityException {
        return trusting(TlsContexts.trusting(TlsContexts.readCertificates(certificateFile)));
    }

    /** A client trusting what these trust managers trust, checking host names. */
    static ClientTls trusting(TrustManager[] trust) throws GeneralSecurityException {
        TlsContexts.Parts parts = new TlsContexts.Parts(null, trust);
        return new ClientTls(parts.context(), parts, true, null);
    }

    /**
     * A client that trusts <em>any</em> certificate and checks no host name: the connection is
     * encrypted but anyone in the middle can read and change it. For development against a server
     * whose certificate cannot be trusted otherwise; never in production. Logs a warning when made.
     */
    public static ClientTls insecure() {
        TlsContexts.Parts parts = new TlsContexts.Parts(null, TlsContexts.trustingEverything());
        SSLContext context;
        try {
            context = parts.context();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make a TLS context", e);
        }
        LOG.log(WARNING, "a TLS client that trusts every certificate and checks no host name: "
                + "its connections can be intercepted; use it for development only");
        return new ClientTls(context, parts, false, null);
    }

    /**
     * The same client, presenting the key and certificate in a key store file to servers that ask
     * for a client certificate (TLS client authentication).
     *
     * @param keyStore a PKCS12 or JKS file (told apart by content) holding one private key with its
     *     certificate chain
     * @param password the store's password, which is also the key's
     * @throws IllegalStateException if this client's context came from the user ({@link #of}): the
     *     certificate belongs in that context's key managers
     * @throws IOException if the file cannot be read, or the password is wrong
     * @throws GeneralSecurityException if the store holds no usable key
     */
    public ClientTls withKeyStore(Path keyStore, char[] password) throws IOException, GeneralSecurityException {
        if (parts == null) {
            throw new IllegalStateException("a client made from an SSLContext presents what its context presents: "
                    + "give that context the key managers");
        }
        TlsContexts.Parts presenting = parts.withKeys(TlsContexts.keys(TlsContexts.loadKeyStore(keyStore, password), password));
        return new ClientTls(presenting.context(), presenting, checksHostName, base);
    }

    /**
     * The same client, with base parameters: each connection is configured with {@code base} first
     * (as {@link SSLEngine#setSSLParameters} would), then TLS 1.3 and 1.2 only, the server name
     * (SNI) and the host-name check replace what it says about those. A copy is kept: changing
     * {@code base} later changes nothing here.
     *
     * @throws IllegalArgumentException if the context refuses them, or they enable neither TLS 1.3
     *     nor TLS 1.2
     */
    public ClientTls withParameters(SSLParameters base) {
        return new ClientTls(context, parts, checksHostName, TlsParameters.copyOf(base, context, true));
    }

    /** The context to make every connection's engine or socket with. */
    public SSLContext context() {
        return context;
    }

    /**
     * New parameters for a client engine or socket that {@link #context()} made to connect to
     * {@code host}, to set with {@link SSLEngine#setSSLParameters} or
     * {@link SSLSocket#setSSLParameters}: the context's defaults for a client, the base parameters,
     * TLS 1.3 and 1.2 only, {@code host} as SNI unless it is an IP address (RFC 6066 §3 allows
     * names only), and the host-name check ({@code "HTTPS"} endpoint identification) unless this
     * client is {@link #insecure}.
     *
     * @param host the host of the URI, without the brackets of an IPv6 address
     * @param port the port the client connects to
     */
    public SSLParameters parameters(String host, int port) {
        SSLParameters parameters = TlsParameters.of(context, true, Objects.requireNonNull(host), port, base);
        parameters.setEndpointIdentificationAlgorithm(checksHostName ? "HTTPS" : null);
        parameters.setServerNames(serverNames(host));
        return parameters;
    }

    @Override
    public String toString() {
        return "ClientTls[" + (checksHostName ? "checking host names" : "insecure")
                + (base != null ? ", base parameters" : "") + "]";
    }

    private static List<SNIServerName> serverNames(String host) {
        if (host.indexOf(':') >= 0 || IPV4_LITERAL.matcher(host).matches()) {
            return List.of();
        }
        try {
            return List.of(new SNIHostName(host));
        } catch (IllegalArgumentException e) {
            // Not a name SNI can carry (an underscore, say): the connection can go on without it.
            return List.of();
        }
    }
}
