package dev.weft.transport.blocking.socket;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Objects;

/**
 * The two streams a blocking connection runs over, and how to end them: a {@link Socket} (plain or
 * TLS), or any stream pair with something that closes it. Only a socket has read timeouts.
 */
public final class Wire {

    private final InputStream in;
    private final OutputStream out;
    private final Socket socket;
    private final SocketAddress remote;
    private final Closeable closer;

    private Wire(InputStream in, OutputStream out, Socket socket, SocketAddress remote, Closeable closer) {
        this.in = in;
        this.out = out;
        this.socket = socket;
        this.remote = remote;
        this.closer = closer;
    }

    /** A connected socket's streams. */
    public static Wire of(Socket socket) throws IOException {
        return new Wire(socket.getInputStream(), socket.getOutputStream(), socket, socket.getRemoteSocketAddress(),
                socket);
    }

    /**
     * A stream pair, such as a process's or a tunnel's.
     *
     * @param remote what to report as the peer's address (may be null)
     * @param closer ends both streams; a blocked read or write must fail once it is called
     */
    public static Wire of(InputStream in, OutputStream out, SocketAddress remote, Closeable closer) {
        return new Wire(Objects.requireNonNull(in), Objects.requireNonNull(out), null, remote, Objects.requireNonNull(closer));
    }

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    public SocketAddress remoteAddress() {
        return remote;
    }

    /** Whether reads can time out (a socket) or only end (a stream pair). */
    boolean hasReadTimeouts() {
        return socket != null;
    }

    /** How long a read may block: zero for ever. Ignored on a stream pair. */
    void readTimeout(int millis) throws SocketException {
        if (socket != null && socket.getSoTimeout() != millis) {
            socket.setSoTimeout(millis);
        }
    }

    /** Ends both streams; a read or write blocked on them fails. Calling it again has no effect. */
    public void close() {
        try {
            closer.close();
        } catch (IOException ignored) {
            // Closing is all that is left to do with it.
        }
    }
}
