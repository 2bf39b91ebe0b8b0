package dev.weft.transport.tls;

import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The JDK's own WebSocket client ({@code java.net.http}), which nobody here wrote, over wss:// to a Weft server. */
class JdkHttpClientTest {

    private static final long WAIT_SECONDS = 30;

    private static SelfSignedCertificate cert;
    private static WebSocketServer server;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        cert = SelfSignedCertificate.create();
        server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(Echo.CONFIG)
                .networkLayer(Tls.server(cert.serverTls())).endpoint("/echo", Echo::new).build().start();
        http = HttpClient.newBuilder().sslContext(cert.clientContext()).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1"})
    void echoes(String host) throws Exception {
        Listener listener = new Listener();
        WebSocket ws = http.newWebSocketBuilder()
                .buildAsync(URI.create("wss://" + host + ":" + server.port() + "/echo"), listener)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        ws.sendText("hello from the JDK", true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals("hello from the JDK", assertInstanceOf(String.class, listener.next()));

        byte[] payload = new byte[1 << 20];
        new Random(1).nextBytes(payload);
        ws.sendBinary(ByteBuffer.wrap(payload), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertArrayEquals(payload, assertInstanceOf(byte[].class, listener.next()));

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(WebSocket.NORMAL_CLOSURE, listener.closed.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    /** Gathers whole messages: a String per text message, a byte[] per binary one. */
    private static final class Listener implements WebSocket.Listener {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        Object next() throws InterruptedException {
            Object message = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(message, "no message within " + WAIT_SECONDS + " s");
            return message;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
