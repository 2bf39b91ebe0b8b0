package dev.weft.transport.tls;

import dev.weft.api.Role;
import dev.weft.api.tls.ClientTls;
import dev.weft.api.tls.ServerTls;
import dev.weft.transport.nio.NetworkLayer;

import java.io.IOException;
import java.util.Objects;

/**
 * {@code wss://}: TLS network layers for {@link dev.weft.transport.nio.WebSocketServer} and
 * {@link dev.weft.transport.nio.WebSocketClient}, on the JDK's {@link javax.net.ssl.SSLEngine}, as
 * a {@link ServerTls} or {@link ClientTls} configures them (TLS 1.3 or 1.2, SNI, client
 * authentication, trust).
 *
 * <p>A server:
 * <pre>{@code
 * WebSocketServer server = WebSocketServer.builder()
 *         .bind("0.0.0.0", 8443)
 *         .networkLayer(Tls.server(ServerTls.fromKeyStore(Path.of("server.p12"), password)))
 *         .endpoint("/echo", EchoHandler::new)
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>A client, which uses its secure layer for {@code wss://} URIs (port 443 by default) and plain
 * TCP for {@code ws://}:
 * <pre>{@code
 * try (WebSocketClient client = WebSocketClient.builder()
 *         .secureLayer(Tls.client(ClientTls.defaults()))   // the JDK's trusted CAs; the host name is checked
 *         .build()) {
 *     Connection c = client.connect(URI.create("wss://example.com/echo"), handler).get();
 *     c.sendText("hello");
 * }
 * }</pre>
 *
 * <p>For development, {@link dev.weft.api.tls.SelfSignedCertificate} makes a certificate for
 * {@code localhost}: serve with {@code Tls.server(cert.serverTls())} and connect with
 * {@code Tls.client(cert.clientTls())} (or {@code ClientTls.trusting(cert.certificateFile())}).
 *
 * <p>A server made with {@link ServerTls#bySni} gets its context for the host name the client asks
 * for, which the layer reads from the ClientHello before the handshake starts.
 *
 * <p>A TLS failure fails the connection with an {@link IOException} saying what went wrong, such as
 * "the server's certificate is not valid for the host name ...", with the JDK's
 * {@link javax.net.ssl.SSLHandshakeException} as its cause; a client's {@code connect} future fails
 * with it. The factories are thread-safe and may be shared by any number of servers and clients,
 * but each secures one role: a server's factory given to a client (or the reverse) throws
 * {@link IllegalArgumentException} when it is asked for a layer.
 */
public final class Tls {

    private Tls() {
    }

    /** A server layer configured by {@code tls}. */
    public static NetworkLayer.Factory server(ServerTls tls) {
        Objects.requireNonNull(tls);
        return new TlsFactory(Role.SERVER, (host, port, serverName) -> TlsFactory.serverEngine(tls, serverName),
                "a TLS server layer (" + tls + ")");
    }

    /** A client layer configured by {@code tls}. */
    public static NetworkLayer.Factory client(ClientTls tls) {
        Objects.requireNonNull(tls);
        return new TlsFactory(Role.CLIENT, (host, port, serverName) -> TlsFactory.clientEngine(tls, host, port),
                "a TLS client layer (" + tls + ")");
    }
}
