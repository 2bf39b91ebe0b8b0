package dev.weft.transport.blocking;

import dev.weft.api.Message;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.Headers;
import dev.weft.testing.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plain HTTP server on a {@link ServerSocket}, written here, that serves a page on {@code /} and
 * hands {@code /ws} over to Weft after reading the request's head itself: the adoption the blocking
 * transport exists for. Talked to by the JDK's own HTTP and WebSocket clients.
 */
class SocketAdoptionTest {

    private static final String PAGE = "<!doctype html><title>adopted</title>";

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final LinkedBlockingQueue<Throwable> serverFailures = new LinkedBlockingQueue<>();
    private ServerSocket listener;

    /** How the HTTP server hands a request head over: as the bytes it read, or parsed. */
    private enum HandOver { BYTES, PARSED }

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws Exception {
        listener.close();
        threads.shutdown(); // each connection's thread ends as its connection closes
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(serverFailures.isEmpty(), () -> "the server failed: " + serverFailures);
    }

    @Test
    void aPlainHttpServerServesItsPageAndHandsTheUpgradeOverAsBytes() throws Exception {
        serve(HandOver.BYTES);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri("http", "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertEquals(PAGE, page.body());
        assertJdkClientEchoes(http);
    }

    @Test
    void theHeadCanBeHandedOverParsed() throws Exception {
        serve(HandOver.PARSED);
        assertJdkClientEchoes(HttpClient.newHttpClient());
    }

    @Test
    void framesReadPastTheHeadByTheHttpServerAreNotLost() throws Exception {
        serve(HandOver.BYTES);
        try (RawClient client = new RawClient(listener.getLocalPort())) {
            // The upgrade and a first frame in one write: the HTTP server's read takes both.
            byte[] upgrade = RawClient.UPGRADE.replace("/echo", "/ws").getBytes(StandardCharsets.US_ASCII);
            byte[] frame = client.frame(true, dev.weft.api.Opcode.TEXT, "first".getBytes(StandardCharsets.UTF_8));
            ByteBuffer both = ByteBuffer.allocate(upgrade.length + frame.length).put(upgrade).put(frame);
            client.send(both.array());
            assertTrue(client.readHead().startsWith("HTTP/1.1 101"));
            assertEquals("first", StandardCharsets.UTF_8.decode(client.readFrame().payload()).toString());
        }
    }

    @Test
    void aRefusedUpgradeIsAnsweredAndReportedToTheAdopter() throws Exception {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
             Socket accepted = listener.accept()) {
            client.getOutputStream().write(RawClient.UPGRADE.replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8")
                    .getBytes(StandardCharsets.US_ASCII));
            HandshakeException refused = assertThrows(HandshakeException.class, () -> BlockingWebSocket.accept(accepted));
            assertEquals(426, refused.status());
            String response = new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 426"), response);
            assertTrue(accepted.isClosed());
        }
    }

    private void assertJdkClientEchoes(HttpClient http) throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(uri("ws", "/ws"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                received.add(data.toString());
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        ws.sendText("adopted", true).get(10, TimeUnit.SECONDS);
        assertEquals("adopted", received.poll(10, TimeUnit.SECONDS));
        ws.sendClose(1000, "done").get(10, TimeUnit.SECONDS);
        assertEquals(1000, closed.get(10, TimeUnit.SECONDS));
    }

    /** Accepts connections: GET / gets the page; GET /ws is adopted and echoed until it closes. */
    private void serve(HandOver handOver) {
        threads.execute(() -> {
            while (!listener.isClosed()) {
                Socket socket;
                try {
                    socket = listener.accept();
                } catch (IOException e) {
                    return; // closed by the test
                }
                threads.execute(() -> answer(socket, handOver));
            }
        });
    }

    private void answer(Socket socket, HandOver handOver) {
        try {
            ReadHead read = ReadHead.from(socket.getInputStream());
            String[] requestLine = read.head().split("\r\n", 2)[0].split(" ");
            if (!requestLine[1].equals("/ws")) {
                try (socket) {
                    byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                }
                return;
            }
            BlockingWebSocket ws = handOver == HandOver.BYTES
                    ? SocketAcceptor.defaults().accept(socket, ByteBuffer.wrap(read.bytes()))
                    : SocketAcceptor.defaults().accept(socket, parse(read.head(), requestLine), ByteBuffer.wrap(read.past()));
            try (ws) {
                for (Message m; (m = ws.receive()) != null; ) {
                    ws.send(m);
                }
            }
        } catch (IOException | RuntimeException e) {
            serverFailures.add(e);
        }
    }

    private static HandshakeRequest parse(String head, String[] requestLine) {
        Headers.Builder headers = Headers.builder();
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("GET ")) {
                headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return new HandshakeRequest(requestLine[0], requestLine[1], requestLine[2], headers.build());
    }

    /** What an HTTP server read: the head (through its blank line) and whatever its reads took past it. */
    private record ReadHead(String head, byte[] bytes, byte[] past) {
        static ReadHead from(InputStream in) throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new IOException("the client closed inside its head");
                }
                all.write(buffer, 0, n);
                String text = all.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    byte[] bytes = all.toByteArray();
                    byte[] past = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
                    return new ReadHead(text.substring(0, end + 4), bytes, past);
                }
            }
        }
    }

    private URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + listener.getLocalPort() + path);
    }
}
