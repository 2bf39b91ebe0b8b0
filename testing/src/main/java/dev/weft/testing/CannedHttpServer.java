package dev.weft.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A server on 127.0.0.1 that answers each request with the HTTP response a test chose for its
 * target, then closes the connection: for testing what a client does with answers a WebSocket
 * server would not give, such as a redirect of the upgrade.
 *
 * <pre>{@code
 * try (CannedHttpServer old = CannedHttpServer.start(target ->
 *         "HTTP/1.1 301 Moved Permanently\r\nLocation: ws://127.0.0.1:" + port + "/echo\r\n\r\n")) {
 *     client.connect(URI.create("ws://127.0.0.1:" + old.port() + "/old"), handler);
 * }
 * }</pre>
 *
 * Requests are served one at a time, on a thread of its own. Thread-safe.
 */
public final class CannedHttpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Function<String, String> responses;
    private final List<String> targets = new CopyOnWriteArrayList<>();

    private CannedHttpServer(ServerSocket socket, Function<String, String> responses) {
        this.socket = socket;
        this.responses = responses;
    }

    /**
     * Starts a server on a free port.
     *
     * @param responses the whole response (head and any body, as ISO-8859-1 text) for a request target
     */
    public static CannedHttpServer start(Function<String, String> responses) {
        try {
            CannedHttpServer server = new CannedHttpServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                    responses);
            Thread thread = new Thread(server::serve, "canned-http-" + server.port());
            thread.setDaemon(true);
            thread.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return socket.getLocalPort();
    }

    /** The request targets answered so far, in order ({@code /old}, {@code /next?x=1}). */
    public List<String> targets() {
        return List.copyOf(targets);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                String target = target(s.getInputStream());
                targets.add(target);
                s.getOutputStream().write(responses.apply(target).getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            } catch (IOException e) {
                // Closed, or a client that went away: either way the next request is served, if any.
            }
        }
    }

    /** Reads a request head to its empty line; returns the target of its request line. */
    private static String target(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; matched < 4 && (b = in.read()) != -1; ) {
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String requestLine = head.toString(StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
        String[] parts = requestLine.split(" ");
        return parts.length > 1 ? parts[1] : "";
    }
}
