package dev.weft.api.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a {@code wss://} server secures its connections, whichever transport runs it: the
 * {@link SSLContext} that presents its certificate (one, or one per host name a client asks for),
 * whether it asks clients for a certificate, and base {@link SSLParameters}. Every connection is
 * TLS 1.3 or 1.2 (never older, even if the context allows it; a context that enables only one of
 * them keeps to that one) and offers ALPN {@code http/1.1}, so a client that offers ALPN without it
 * is refused.
 *
 * <p>A transport makes each connection's {@link SSLEngine} or server-mode {@link SSLSocket} from
 * {@link #context(String)} and configures it with {@link #parameters(SSLContext)}:
 * <pre>{@code
 * SSLContext context = tls.context(sniHostName);         // null: the client asked for no name
 * SSLParameters parameters = tls.parameters(context);
 * SSLEngine engine = context.createSSLEngine();
 * engine.setUseClientMode(false);
 * engine.setSSLParameters(parameters);
 * }</pre>
 *
 * <p>Immutable and thread-safe: each {@code with}-style method returns a new instance, and one
 * instance may serve any number of servers.
 */
public final class ServerTls {

    private static final String[] HTTP_1_1 = {"http/1.1"};

    private final SSLContext fallback;
    /** Chooses a context by host name; null when there is one context only. */
    private final Function<String, SSLContext> bySni;
    /** What {@link #fallback} is made of when this class made it; null for a context the user gave. */
    private final TlsContexts.Parts parts;
    private final ClientAuth clientAuth;
    /** A private copy of the user's base parameters, or null. */
    private final SSLParameters base;

    private ServerTls(SSLContext fallback, Function<String, SSLContext> bySni, TlsContexts.Parts parts,
                      ClientAuth clientAuth, SSLParameters base) {
        this.fallback = fallback;
        this.bySni = bySni;
        this.parts = parts;
        this.clientAuth = clientAuth;
        this.base = base;
        parameters(fallback);
    }

    /**
     * A server presenting the key and certificate of {@code context}, which also decides which client
     * certificates it trusts.
     *
     * @throws IllegalArgumentException if the context enables neither TLS 1.3 nor TLS 1.2
     */
    public static ServerTls of(SSLContext context) {
        return new ServerTls(Objects.requireNonNull(context), null, null, ClientAuth.NONE, null);
    }

    /**
     * A server presenting the key and certificate in a key store file. It trusts client
     * certificates the JDK's default trust store trusts, unless {@link #trustingClients} says
     * otherwise.
     *
     * @param keyStore a PKCS12 or JKS file (told apart by content) holding one private key with its
     *     certificate chain
     * @param password the store's password, which is also the key's
     * @throws IOException if the file cannot be read, or the password is wrong
     * @throws GeneralSecurityException if the store holds no usable key
     */
    public static ServerTls fromKeyStore(Path keyStore, char[] password) throws IOException, GeneralSecurityException {
        return presenting(TlsContexts.keys(TlsContexts.loadKeyStore(keyStore, password), password));
    }

    /** A server presenting these keys, trusting what the JDK trusts. */
    static ServerTls presenting(KeyManager[] keys) throws GeneralSecurityException {
        TlsContexts.Parts parts = new TlsContexts.Parts(keys, null);
        return new ServerTls(parts.context(), null, parts, ClientAuth.NONE, null);
    }

    /**
     * A server that chooses its context by the host name each client asks for (SNI, RFC 6066 §3).
     *
     * @param bySniHostName gives the context for a host name (lower-case ASCII), or null for the
     *     fallback; called as each connection starts, on a thread of the transport (an event loop
     *     for the NIO transport), so it must not block; if it throws, that connection fails
     * @param fallback for clients that send no host name, names {@code bySniHostName} does not know,
     *     and hellos that cannot be read
     * @throws IllegalArgumentException if {@code fallback} enables neither TLS 1.3 nor TLS 1.2
     */
    public static ServerTls bySni(Function<String, SSLContext> bySniHostName, SSLContext fallback) {
        return new ServerTls(Objects.requireNonNull(fallback), Objects.requireNonNull(bySniHostName), null,
                ClientAuth.NONE, null);
    }

    /**
     * The same server, asking clients for a certificate as {@code clientAuth} says ({@link
     * ClientAuth#NONE} by default). Which certificates it trusts is up to its context: see
     * {@link #trustingClients}.
     */
    public ServerTls clientAuth(ClientAuth clientAuth) {
        return new ServerTls(fallback, bySni, parts, Objects.requireNonNull(clientAuth), base);
    }

    /**
     * The same server, trusting exactly the client certificates issued by (or equal to) those in
     * one file, instead of the JDK's default trust store. Clients send a certificate only when
     * {@link #clientAuth} asks for one.
     *
     * @param certificates a PEM (one or more certificates) or DER file
     * @throws IllegalStateException if this server's context came from the user ({@link #of},
     *     {@link #bySni}): that context's own trust managers decide
     * @throws IOException if the file cannot be read
     * @throws GeneralSecurityException if it holds no certificate
     */
    public ServerTls trustingClients(Path certificates) throws IOException, GeneralSecurityException {
        if (parts == null) {
            throw new IllegalStateException("a server made from an SSLContext trusts the clients its context trusts: "
                    + "give that context the trust managers, or use ServerTls.fromKeyStore");
        }
        TlsContexts.Parts trusting = parts.withTrust(TlsContexts.trusting(TlsContexts.readCertificates(certificates)));
        return new ServerTls(trusting.context(), bySni, trusting, clientAuth, base);
    }

    /**
     * The same server, with base parameters: each connection is configured with {@code base} first
     * (as {@link SSLEngine#setSSLParameters} would), then TLS 1.3 and 1.2 only, ALPN
     * {@code http/1.1} and the {@link #clientAuth} setting replace what it says about those. A
     * copy is kept: changing {@code base} later changes nothing here.
     *
     * @throws IllegalArgumentException if the context refuses them, or they enable neither TLS 1.3
     *     nor TLS 1.2
     */
    public ServerTls withParameters(SSLParameters base) {
        return new ServerTls(fallback, bySni, parts, clientAuth, TlsParameters.copyOf(base, fallback, false));
    }

    /**
     * Whether the context depends on the host name a client asks for ({@link #bySni}): a server
     * then reads the ClientHello ({@link ClientHello#read}) before it chooses one.
     */
    public boolean choosesBySni() {
        return bySni != null;
    }

    /**
     * The context for a connection whose client asked for {@code sniHostName}: the one the SNI
     * function chooses, else the fallback.
     *
     * @param sniHostName the host name in the client's {@code server_name} extension, or null if it
     *     sent none (or it could not be read)
     * @throws RuntimeException whatever the SNI function throws: that connection fails
     */
    public SSLContext context(String sniHostName) {
        if (sniHostName == null || bySni == null) {
            return fallback;
        }
        SSLContext chosen = bySni.apply(sniHostName.toLowerCase(Locale.ROOT));
        return chosen != null ? chosen : fallback;
    }

    /**
     * New parameters for a server engine or socket that {@code context} made, to set with
     * {@link SSLEngine#setSSLParameters} or {@link SSLSocket#setSSLParameters}: the context's defaults
     * for a server, the base parameters, TLS 1.3 and 1.2 only, ALPN {@code http/1.1}, and the
     * client-authentication setting.
     *
     * @param context the one {@link #context(String)} gave for the connection
     * @throws IllegalArgumentException if {@code context} enables neither TLS 1.3 nor TLS 1.2
     */
    public SSLParameters parameters(SSLContext context) {
        SSLParameters parameters = TlsParameters.of(context, false, null, 0, base);
        parameters.setApplicationProtocols(HTTP_1_1);
        switch (clientAuth) {
            case NONE -> parameters.setWantClientAuth(false);
            case WANT -> parameters.setWantClientAuth(true);
            case NEED -> parameters.setNeedClientAuth(true);
        }
        return parameters;
    }

    @Override
    public String toString() {
        return "ServerTls[" + (bySni != null ? "by SNI, " : "") + "client auth " + clientAuth
                + (base != null ? ", base parameters" : "") + "]";
    }
}
