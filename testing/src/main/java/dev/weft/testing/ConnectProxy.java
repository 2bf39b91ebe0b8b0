package dev.weft.testing;

import dev.weft.api.HttpProxy;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.Headers;
import dev.weft.api.handshake.HttpResponses;
import dev.weft.core.handshake.HttpHeadParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP CONNECT proxy on {@code 127.0.0.1} (RFC 9110 §9.3.6), for tests of clients that reach
 * their servers through one: it records each request it reads, then opens the tunnel (200 and the
 * bytes relayed both ways), or answers 407 when it wants Basic credentials the request lacks, or
 * refuses every tunnel with a status a test chose. Each connection has a thread per direction.
 * Thread-safe.
 */
public final class ConnectProxy implements AutoCloseable {

    private static final int MAX_HEAD = 16 * 1024;

    private final ServerSocket listener;
    private final String credentials;
    private final int refusal;
    private final String refusalReason;
    private final List<HandshakeRequest> requests = new CopyOnWriteArrayList<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private ConnectProxy(String credentials, int refusal, String refusalReason) throws IOException {
        this.credentials = credentials;
        this.refusal = refusal;
        this.refusalReason = refusalReason;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Pipes.daemon("connect-proxy-" + listener.getLocalPort(), () -> Pipes.acceptUntilClosed(listener, this::accepted));
    }

    /** A proxy that opens every tunnel asked of it. */
    public static ConnectProxy start() throws IOException {
        return new ConnectProxy(null, 0, null);
    }

    /**
     * A proxy that opens tunnels only for requests with these Basic credentials in their
     * {@code Proxy-Authorization}, and answers others {@code 407 Proxy Authentication Required}.
     */
    public static ConnectProxy requiring(String user, String password) throws IOException {
        return new ConnectProxy(HttpProxy.of("127.0.0.1", 1).withCredentials(user, password)
                .proxyAuthorization().orElseThrow(), 0, null);
    }

    /** A proxy that answers every request with {@code status} and {@code reason}, and closes. */
    public static ConnectProxy refusing(int status, String reason) throws IOException {
        if (status < 300 || status > 599) {
            throw new IllegalArgumentException("not a refusal: " + status);
        }
        return new ConnectProxy(null, status, reason);
    }

    /** The port it listens on, on 127.0.0.1. */
    public int port() {
        return listener.getLocalPort();
    }

    /** This proxy, as a client is told of it (without credentials). */
    public HttpProxy proxy() {
        return HttpProxy.of("127.0.0.1", port());
    }

    /** Makes this proxy the JDK's for every host, until the result is closed; see {@link #systemProxy}. */
    public SystemProperties asSystemProxy() {
        return systemProxy("127.0.0.1", port());
    }

    /**
     * Makes an HTTP proxy the JDK's for every host, until the result is closed: sets
     * {@code http.proxyHost}, {@code https.proxyHost} and their ports to it, and
     * {@code http.nonProxyHosts} to empty (whose default exempts {@code localhost} and
     * {@code 127.*}, where tests run their servers), so {@link java.net.ProxySelector#getDefault()}
     * names it. System properties are the whole JVM's: tests that use this must not run in parallel.
     */
    public static SystemProperties systemProxy(String host, int port) {
        String p = Integer.toString(port);
        return SystemProperties.set("http.proxyHost", host, "http.proxyPort", p,
                "https.proxyHost", host, "https.proxyPort", p, "http.nonProxyHosts", "");
    }

    /** System properties set for a while; closing puts back the values they had. */
    public static final class SystemProperties implements AutoCloseable {
        private final Map<String, String> saved = new LinkedHashMap<>();

        private SystemProperties() {
        }

        private static SystemProperties set(String... namesAndValues) {
            SystemProperties properties = new SystemProperties();
            for (int i = 0; i < namesAndValues.length; i += 2) {
                properties.saved.put(namesAndValues[i], System.getProperty(namesAndValues[i]));
                System.setProperty(namesAndValues[i], namesAndValues[i + 1]);
            }
            return properties;
        }

        @Override
        public void close() {
            saved.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            });
        }
    }

    /** Every request head it has read, in order, recorded before it was answered. */
    public List<HandshakeRequest> requests() {
        return List.copyOf(requests);
    }

    /** Stops listening and ends every connection and tunnel. */
    @Override
    public void close() throws IOException {
        Pipes.closeAll(listener, sockets);
    }

    private void accepted(Socket client) {
        sockets.add(client);
        Pipes.daemon("connect-proxy-client", () -> serve(client));
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            HttpHeadParser parser = HttpHeadParser.forRequest(MAX_HEAD, 100);
            byte[] bytes = new byte[4096];
            ByteBuffer read = ByteBuffer.allocate(0);
            while (!parser.parse(read)) {
                int n = in.read(bytes);
                if (n < 0) {
                    return;
                }
                read = ByteBuffer.wrap(bytes, 0, n);
            }
            HandshakeRequest request = parser.request();
            requests.add(request);
            Optional<String> refused = refusal(request);
            if (refused.isPresent()) {
                answer(out, refused.get(), Headers.of("Content-Length", "0", "Connection", "close"));
                return;
            }
            Socket server = new Socket();
            sockets.add(server);
            try (server) {
                try {
                    server.connect(address(request.target()), 10_000);
                } catch (IOException e) {
                    answer(out, "502 Bad Gateway", Headers.of("Content-Length", "0", "Connection", "close"));
                    return;
                }
                answer(out, "200 Connection Established", Headers.empty());
                server.getOutputStream().write(bytes, read.position(), read.remaining());
                Thread back = Pipes.daemon("connect-proxy-server", () -> Pipes.relay(server, client));
                Pipes.relay(client, server);
                back.join(); // what the server still sends reaches the client before both close
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                sockets.remove(server);
            }
        } catch (IOException | HandshakeException e) {
            // The client went away or sent no HTTP: nothing to answer.
        } finally {
            sockets.remove(client);
        }
    }

    /** The status line's code and reason this request is refused with, if it is. */
    private Optional<String> refusal(HandshakeRequest request) {
        if (!request.method().equals("CONNECT")) {
            return Optional.of("405 Method Not Allowed");
        }
        if (refusal != 0) {
            return Optional.of(refusal + " " + refusalReason);
        }
        if (credentials != null && !request.header("Proxy-Authorization").filter(credentials::equals).isPresent()) {
            return Optional.of("407 Proxy Authentication Required");
        }
        return Optional.empty();
    }

    private void answer(OutputStream out, String status, Headers headers) throws IOException {
        Headers all = status.startsWith("407")
                ? headers.toBuilder().add("Proxy-Authenticate", "Basic realm=\"weft\"").build() : headers;
        ByteBuffer head = HttpResponses.encode("HTTP/1.1 " + status, all, new byte[0]);
        out.write(head.array(), 0, head.remaining());
        out.flush();
    }

    // authority-form: uri-host ":" port (RFC 9112 §3.2.3)
    private static InetSocketAddress address(String target) throws IOException {
        int colon = target.lastIndexOf(':');
        if (colon <= 0) {
            throw new IOException("not host:port: " + target);
        }
        String host = target.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new InetSocketAddress(host, Integer.parseInt(target.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IOException("not host:port: " + target, e);
        }
    }
}
