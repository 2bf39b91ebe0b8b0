package dev.weft.transport.tls;

import dev.weft.api.Role;
import dev.weft.transport.nio.NetworkLayer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.function.Function;

import static java.lang.System.Logger.Level.WARNING;

/**
 * {@code wss://}: TLS network layers for {@link dev.weft.transport.nio.WebSocketServer} and
 * {@link dev.weft.transport.nio.WebSocketClient}, on the JDK's {@link javax.net.ssl.SSLEngine}.
 * Every factory here secures connections with TLS 1.3 or 1.2 (never older, even if the context
 * allows it; a context that enables only one of them keeps to that one).
 *
 * <p>A server:
 * <pre>{@code
 * WebSocketServer server = WebSocketServer.builder()
 *         .bind("0.0.0.0", 8443)
 *         .networkLayer(Tls.server(Path.of("server.p12"), password))
 *         .endpoint("/echo", EchoHandler::new)
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>A client, which uses its secure layer for {@code wss://} URIs (port 443 by default) and plain
 * TCP for {@code ws://}:
 * <pre>{@code
 * try (WebSocketClient client = WebSocketClient.builder()
 *         .secureLayer(Tls.client())   // the JDK's trusted CAs; the host name is checked
 *         .build()) {
 *     Connection c = client.connect(URI.create("wss://example.com/echo"), handler).get();
 *     c.sendText("hello");
 * }
 * }</pre>
 *
 * <p>For development, {@link SelfSignedCertificate} makes a certificate for {@code localhost}:
 * serve with {@code Tls.server(cert.serverContext())} and connect with
 * {@code Tls.client(cert.clientContext())} (or {@code Tls.clientTrusting(cert.certificateFile())}).
 *
 * <p>A TLS failure fails the connection with an {@link IOException} saying what went wrong, such as
 * "the server's certificate is not valid for the host name ...", with the JDK's
 * {@link javax.net.ssl.SSLHandshakeException} as its cause; a client's {@code connect} future fails
 * with it. The factories are thread-safe and may be shared by any number of servers and clients,
 * but each secures one role: a server's factory given to a client (or the reverse) throws
 * {@link IllegalArgumentException} when it is asked for a layer.
 */
public final class Tls {

    private static final System.Logger LOG = System.getLogger(Tls.class.getName());

    private Tls() {
    }

    /**
     * A server layer presenting the key and certificate of {@code context}. It offers ALPN
     * {@code http/1.1}, so a client that offers ALPN without it is refused.
     *
     * @throws IllegalArgumentException if the context enables neither TLS 1.3 nor TLS 1.2
     */
    public static NetworkLayer.Factory server(SSLContext context) {
        Objects.requireNonNull(context);
        TlsFactory.serverEngine(context);
        return new TlsFactory(Role.SERVER, (host, port, serverName) -> TlsFactory.serverEngine(context), "a TLS server layer");
    }

    /**
     * A server layer presenting the key and certificate in a key store file.
     *
     * @param keyStore a PKCS12 or JKS file (told apart by content) holding one private key with its
     *     certificate chain
     * @param password the store's password, which is also the key's
     * @throws IOException if the file cannot be read, or the password is wrong
     * @throws GeneralSecurityException if the store holds no usable key
     */
    public static NetworkLayer.Factory server(Path keyStore, char[] password) throws IOException, GeneralSecurityException {
        return server(TlsContexts.forServer(TlsContexts.loadKeyStore(keyStore, password), password));
    }

    /**
     * A server layer that chooses its context by the host name each client asks for (SNI), read
     * from the ClientHello before the handshake starts.
     *
     * @param bySniHostName gives the context for a host name (lower-case ASCII), or null for the
     *     fallback; called on an event loop for each connection, so it must not block; if it throws,
     *     that connection fails
     * @param fallback for clients that send no host name, names {@code bySniHostName} does not know,
     *     and hellos that cannot be read
     * @throws IllegalArgumentException if {@code fallback} enables neither TLS 1.3 nor TLS 1.2
     */
    public static NetworkLayer.Factory server(Function<String, SSLContext> bySniHostName, SSLContext fallback) {
        Objects.requireNonNull(bySniHostName);
        TlsFactory.serverEngine(Objects.requireNonNull(fallback));
        return new TlsFactory(Role.SERVER, (host, port, serverName) -> {
            SSLContext chosen = serverName == null ? null : bySniHostName.apply(serverName);
            return TlsFactory.serverEngine(chosen != null ? chosen : fallback);
        }, "a TLS server layer choosing by SNI");
    }

    /**
     * A client layer that trusts the JDK's default trust store (its CAs, or
     * {@code javax.net.ssl.trustStore}) and checks the server's host name.
     */
    public static NetworkLayer.Factory client() {
        try {
            return client(SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /**
     * A client layer that trusts what {@code context} trusts and checks that the server's
     * certificate is for the host of the URI (RFC 2818 rules); it sends that host as SNI unless it
     * is an IP address.
     *
     * @throws IllegalArgumentException if the context enables neither TLS 1.3 nor TLS 1.2
     */
    public static NetworkLayer.Factory client(SSLContext context) {
        return client(context, true, "a TLS client layer");
    }

    /**
     * A client layer that trusts exactly the certificates in one file, such as a server's
     * self-signed certificate, and still checks the server's host name against it.
     *
     * @param certificate a PEM (one or more certificates) or DER file
     * @throws IOException if the file cannot be read
     * @throws GeneralSecurityException if it holds no certificate
     */
    public static NetworkLayer.Factory clientTrusting(Path certificate) throws IOException, GeneralSecurityException {
        return client(TlsContexts.trusting(TlsContexts.readCertificates(certificate)));
    }

    /**
     * A client layer that trusts <em>any</em> certificate and checks no host name: the connection is
     * encrypted but anyone in the middle can read and change it. For development against a server
     * whose certificate cannot be trusted otherwise; never in production. Logs a warning when made.
     */
    public static NetworkLayer.Factory insecureClient() {
        SSLContext context;
        try {
            context = TlsContexts.trustingEverything();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make a TLS context", e);
        }
        LOG.log(WARNING, "a TLS client that trusts every certificate and checks no host name: "
                + "its connections can be intercepted; use it for development only");
        return client(context, false, "an insecure TLS client layer");
    }

    private static NetworkLayer.Factory client(SSLContext context, boolean verifyHostName, String description) {
        Objects.requireNonNull(context);
        TlsFactory.clientEngine(context, "localhost", 443, verifyHostName);
        return new TlsFactory(Role.CLIENT,
                (host, port, serverName) -> TlsFactory.clientEngine(context, host, port, verifyHostName), description);
    }
}
