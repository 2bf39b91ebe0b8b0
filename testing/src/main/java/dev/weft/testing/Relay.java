package dev.weft.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on an ephemeral port of {@code 127.0.0.1} that stands for a server across its
 * restarts: a test points its client at the relay's port, which stays bound, and the relay forwards
 * each new connection to whichever back end it is told of, or resets it while it is told to refuse.
 * Binding a restarted server to the port its predecessor had would race with every other socket on
 * the machine; a relay never lets the port go. Connections already relayed are left alone when the
 * back end changes: they end when their own server closes them. Thread-safe.
 */
public final class Relay implements AutoCloseable {

    private static final int REFUSING = -1;

    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile int backEnd;

    private Relay(int backEnd) throws IOException {
        this.backEnd = backEnd;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Pipes.daemon("relay-" + listener.getLocalPort(), () -> Pipes.acceptUntilClosed(listener, this::accepted));
    }

    /** A relay that forwards each connection to {@code port} on {@code 127.0.0.1}. */
    public static Relay to(int port) throws IOException {
        return new Relay(port);
    }

    /** The port it listens on, on 127.0.0.1, for as long as it is open. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Resets each connection that arrives from now on, as a host with no server would. */
    public void refuse() {
        backEnd = REFUSING;
    }

    /** Forwards each connection that arrives from now on to {@code port} on {@code 127.0.0.1}. */
    public void forwardTo(int port) {
        backEnd = port;
    }

    /** Stops listening and ends every relayed connection. */
    @Override
    public void close() throws IOException {
        Pipes.closeAll(listener, sockets);
    }

    private void accepted(Socket client) {
        int port = backEnd;
        if (port == REFUSING) {
            reset(client);
        } else {
            sockets.add(client);
            Pipes.daemon("relay-client", () -> forward(client, port));
        }
    }

    private void forward(Socket client, int port) {
        Socket server = new Socket();
        sockets.add(server);
        try (client; server) {
            try {
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            } catch (IOException e) {
                reset(client); // the back end is down: the client sees what it would see without us
                return;
            }
            Thread back = Pipes.daemon("relay-server", () -> Pipes.relay(server, client));
            Pipes.relay(client, server);
            back.join(); // what the server still sends reaches the client before both close
        } catch (IOException e) {
            // Closing after a relay: nothing is left to tell anyone.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sockets.remove(client);
            sockets.remove(server);
        }
    }

    /** Closes with a TCP reset (linger 0) rather than an orderly end. */
    private static void reset(Socket socket) {
        try (socket) {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // Already gone: as good as reset.
        }
    }
}
