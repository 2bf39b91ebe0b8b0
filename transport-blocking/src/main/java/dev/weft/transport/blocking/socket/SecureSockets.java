package dev.weft.transport.blocking.socket;

import dev.weft.api.tls.ClientHello;
import dev.weft.api.tls.ClientTls;
import dev.weft.api.tls.ServerTls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * TLS over a connected socket, configured by the {@link ServerTls} or {@link ClientTls} every Weft
 * transport shares: the same protocols, ALPN, SNI, host-name checks and client authentication as
 * the NIO transport's {@code SSLEngine}s.
 */
public final class SecureSockets {

    private SecureSockets() {
    }

    /**
     * A client's TLS over {@code socket}, handshake done within {@code timeout}: the server's
     * certificate is checked (for {@code host}, unless the configuration is insecure).
     */
    public static SSLSocket client(ClientTls tls, Socket socket, String host, int port, Duration timeout)
            throws IOException {
        SSLSocket secure = (SSLSocket) tls.context().getSocketFactory().createSocket(socket, host, port, true);
        secure.setSSLParameters(tls.parameters(host, port));
        secure.setSoTimeout(millis(timeout));
        secure.startHandshake();
        secure.setSoTimeout(0);
        return secure;
    }

    /**
     * A server's TLS over an accepted {@code socket}, its context chosen by the host name the client
     * asks for when {@code tls} chooses by SNI: the ClientHello is read first (within
     * {@code timeout}) and handed back to the TLS socket. The handshake itself runs on the first read.
     */
    public static SSLSocket server(ServerTls tls, Socket socket, Duration timeout) throws IOException {
        byte[] hello = new byte[0];
        String serverName = null;
        if (tls.choosesBySni()) {
            hello = readClientHello(socket, timeout);
            serverName = ClientHello.read(ByteBuffer.wrap(hello)).hostName();
        }
        SSLContext context = tls.context(serverName);
        SSLSocket secure = (SSLSocket) context.getSocketFactory()
                .createSocket(socket, new ByteArrayInputStream(hello), true);
        secure.setSSLParameters(tls.parameters(context));
        return secure;
    }

    /** Reads until the first record says what it is (at most one whole record), within {@code timeout}. */
    private static byte[] readClientHello(Socket socket, Duration timeout) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] read = new byte[0];
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] chunk = new byte[2048];
        while (ClientHello.read(ByteBuffer.wrap(read)).outcome() == ClientHello.Outcome.NEED_MORE
                && read.length < ClientHello.MAX_FIRST_RECORD) {
            socket.setSoTimeout(Math.max(1, millis(Duration.ofNanos(deadline - System.nanoTime()))));
            int n = in.read(chunk, 0, Math.min(chunk.length, ClientHello.MAX_FIRST_RECORD - read.length));
            if (n < 0) {
                throw new EOFException("the connection ended inside its TLS ClientHello");
            }
            read = Arrays.copyOf(read, read.length + n);
            System.arraycopy(chunk, 0, read, read.length - n, n);
        }
        socket.setSoTimeout(0);
        return read;
    }

    private static int millis(Duration d) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
