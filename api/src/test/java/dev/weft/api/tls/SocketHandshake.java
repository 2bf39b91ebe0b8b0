package dev.weft.api.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One TLS handshake over a real socket on 127.0.0.1, each end an {@link SSLSocket} configured the
 * way a blocking transport configures it: the server's from {@link ServerTls#context} and
 * {@link ServerTls#parameters}, the client's from {@link ClientTls#context} and
 * {@link ClientTls#parameters}. After the handshake the server sends one byte and the client reads
 * it, so that a failure the server reports only after the client's handshake is done (a refused
 * client certificate under TLS 1.3) reaches the client too.
 */
final class SocketHandshake {

    private static final int TIMEOUT_MILLIS = 20_000;

    /** What each end got: its session once the byte went through, or what it failed with. */
    record Outcome(SSLSession client, Exception clientFailure, SSLSession server, Exception serverFailure) {
        boolean succeeded() {
            return clientFailure == null && serverFailure == null;
        }
    }

    private SocketHandshake() {
    }

    /** A handshake between {@code server} and {@code client}, the client connecting to {@code host}. */
    static Outcome run(ServerTls server, ClientTls client, String host) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<SSLSession> served = CompletableFuture.supplyAsync(() -> serve(listener, server));
            int port = listener.getLocalPort();
            SSLSession clientSession = null;
            Exception clientFailure = null;
            try (SSLSocket socket = connect(client, host, port)) {
                socket.startHandshake();
                if (socket.getInputStream().read() != 1) {
                    throw new IOException("the server closed the connection");
                }
                clientSession = socket.getSession();
            } catch (IOException e) {
                clientFailure = e;
            }
            try {
                return new Outcome(clientSession, clientFailure, served.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS), null);
            } catch (ExecutionException e) {
                return new Outcome(clientSession, clientFailure, null, (Exception) e.getCause().getCause());
            }
        }
    }

    private static SSLSocket connect(ClientTls tls, String host, int port) throws IOException {
        Socket tcp = new Socket(InetAddress.getLoopbackAddress(), port);
        tcp.setSoTimeout(TIMEOUT_MILLIS);
        SSLSocket socket = (SSLSocket) tls.context().getSocketFactory().createSocket(tcp, host, port, true);
        socket.setUseClientMode(true);
        socket.setSSLParameters(tls.parameters(host, port));
        return socket;
    }

    private static SSLSession serve(ServerSocket listener, ServerTls tls) {
        try (Socket tcp = listener.accept()) {
            tcp.setSoTimeout(TIMEOUT_MILLIS);
            SSLContext context = tls.context(null);
            // The form a server uses after it has read the ClientHello itself to choose by SNI.
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(tcp, null, true)) {
                socket.setSSLParameters(tls.parameters(context));
                socket.startHandshake();
                socket.getOutputStream().write(1);
                socket.getOutputStream().flush();
                return socket.getSession();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
