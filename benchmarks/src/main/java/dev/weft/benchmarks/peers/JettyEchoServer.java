package dev.weft.benchmarks.peers;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A Jetty 12 WebSocket echo server, the reference peer for side-by-side runs against
 * {@code weft serve}: every text and binary message goes back whole, with permessage-deflate on
 * offer (Jetty enables it by default), 16 MiB frames and messages, on any path. Jetty answers pings
 * and the close handshake itself.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.peers.JettyEchoServer --port 9003 --threads 2
 * </pre>
 *
 * {@code --threads} sets the selector threads, Jetty's event loops. Binds 127.0.0.1 only and prints
 * {@code listening on 127.0.0.1:PORT} on standard output once it accepts connections; runs until
 * killed.
 */
public final class JettyEchoServer {

    private JettyEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        PeerOptions options = PeerOptions.parseOrExit("JettyEchoServer", args);
        int cores = Runtime.getRuntime().availableProcessors();
        int acceptors = 1;
        // The acceptor and the selectors hold a thread each; the others run endpoint callbacks,
        // which never block here, so a few per core are plenty (Jetty's default of 200 is sized for
        // blocking servlets).
        int maxThreads = acceptors + options.threads() + 4 * cores;
        int minThreads = Math.min(maxThreads, acceptors + options.threads() + cores);
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, minThreads);
        pool.setName("jetty-echo");

        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, acceptors, options.threads());
        connector.setHost(PeerOptions.HOST);
        connector.setPort(options.port());
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxFrameSize(PeerOptions.MAX_MESSAGE_SIZE);
            container.setMaxTextMessageSize(PeerOptions.MAX_MESSAGE_SIZE);
            container.setMaxBinaryMessageSize(PeerOptions.MAX_MESSAGE_SIZE);
            container.setIdleTimeout(Duration.ofMinutes(5));  // as Weft's default
            container.addMapping("/*", (request, response, callback) -> new Echo());
        }));
        server.start();
        PeerOptions.announce(connector.getLocalPort());
        server.join();
    }

    /**
     * Sends each message back. It demands the next frame only once the echo has been written, so
     * a client that does not read stops being read, and the server's memory stays bounded. One per
     * connection.
     */
    public static final class Echo extends Session.Listener.Abstract {

        /** A failed send fails the connection, which Jetty closes; nothing is left to do here. */
        private static final Consumer<Throwable> IGNORE = failure -> { };

        @Override
        public void onWebSocketOpen(Session session) {
            super.onWebSocketOpen(session);
            session.demand();
        }

        @Override
        public void onWebSocketText(String message) {
            Session session = getSession();
            session.sendText(message, Callback.from(session::demand, IGNORE));
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            // The payload stays valid until callback completes, so it completes once the echo is written.
            Session session = getSession();
            session.sendBinary(payload, Callback.from(() -> {
                callback.succeed();
                session.demand();
            }, callback::fail));
        }
    }
}
