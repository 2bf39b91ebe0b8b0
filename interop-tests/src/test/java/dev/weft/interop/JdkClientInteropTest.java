package dev.weft.interop;

import dev.weft.api.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.weft.interop.Payloads.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDK's own WebSocket client ({@code java.net.http}), an implementation nobody here wrote,
 * against a Weft server on 127.0.0.1 and an ephemeral port, on each {@link WeftTransport}.
 */
class JdkClientInteropTest {

    private static final long TIMEOUT_SECONDS = 30;
    private static final int LIMIT = 32 * MIB;
    private static final List<String> SERVER_SUBPROTOCOLS = List.of("v2.echo.weft.dev", "v1.echo.weft.dev");

    /** The server's handler of each connection, in the order they were accepted. */
    private static final BlockingQueue<WeftEcho> accepted = new LinkedBlockingQueue<>();

    /** A server per transport, started by the first test that needs it. */
    private static final Map<WeftTransport, WeftTransport.Server> servers = new EnumMap<>(WeftTransport.class);
    private static HttpClient http;

    @BeforeAll
    static void start() {
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        servers.values().forEach(WeftTransport.Server::close);
    }

    @BeforeEach
    void forgetEarlierConnections() {
        accepted.clear();
    }

    @OnEachTransport
    void echoesText(WeftTransport weft) throws Exception {
        JdkRecorder client = connect(weft);
        for (String text : List.of("hello", "", Payloads.MIXED, "😀", Payloads.mixed(MIB))) {
            client.ws.sendText(text, true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(text, client.nextText());
        }
        closeNormally(client);
    }

    @OnEachTransport
    void echoesBinary(WeftTransport weft) throws Exception {
        JdkRecorder client = connect(weft);
        for (int size : new int[] {0, 1, 125, 126, 65_536, MIB}) {
            byte[] data = Payloads.binary(size, size);
            client.ws.sendBinary(ByteBuffer.wrap(data), true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertArrayEquals(data, client.nextBinary(), size + " bytes");
        }
        closeNormally(client);
    }

    @OnEachTransport
    void echoes16MibMessages(WeftTransport weft) throws Exception {
        JdkRecorder client = connect(weft);
        String text = Payloads.ascii(16 * MIB);
        client.ws.sendText(text, true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(text, client.nextText());
        byte[] data = Payloads.binary(16 * MIB, 16);
        client.ws.sendBinary(ByteBuffer.wrap(data), true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertArrayEquals(data, client.nextBinary());
        closeNormally(client);
    }

    @OnEachTransport
    void echoesTextTheJdkSendsInParts(WeftTransport weft) throws Exception {
        JdkRecorder client = connect(weft);
        client.ws.sendText("Hello, ", false).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        client.ws.sendText("wörld ", false).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        client.ws.sendText("𝄞", true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals("Hello, wörld 𝄞", client.nextText());
        closeNormally(client);
    }

    @OnEachTransport
    void weftAnswersJdkPing(WeftTransport weft) throws Exception {
        JdkRecorder client = connect(weft);
        client.ws.sendPing(ByteBuffer.wrap("jdk ping".getBytes(StandardCharsets.UTF_8))).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals("jdk ping", client.nextPong());
        closeNormally(client);
    }

    @OnEachTransport
    void jdkAnswersWeftPing(WeftTransport weft) throws Exception {
        JdkRecorder client = connect(weft);
        client.ws.sendText(WeftEcho.PING_COMMAND, true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(WeftEcho.PONG_REPORT + WeftEcho.PING_DATA, client.nextText());
        closeNormally(client);
    }

    @OnEachTransport
    void agreesOnASubprotocol(WeftTransport weft) throws Exception {
        JdkRecorder client = new JdkRecorder();
        client.ws = http.newWebSocketBuilder()
                .subprotocols("v3.echo.weft.dev", "v1.echo.weft.dev")
                .buildAsync(uri(weft, "/echo"), client)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals("v1.echo.weft.dev", client.ws.getSubprotocol());
        Connection serverSide = serverSide();
        assertEquals(Optional.of("v1.echo.weft.dev"), serverSide.subprotocol());
        closeNormally(client);
    }

    @OnEachTransport
    void noSubprotocolWhenNoneIsOffered(WeftTransport weft) throws Exception {
        JdkRecorder client = connect(weft);
        assertEquals("", client.ws.getSubprotocol());
        Connection serverSide = serverSide();
        assertEquals(Optional.empty(), serverSide.subprotocol());
        assertEquals(List.of(), serverSide.extensions());
        closeNormally(client);
    }

    @OnEachTransport
    void interceptorRefusesWith403(WeftTransport weft) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> http.newWebSocketBuilder()
                .buildAsync(uri(weft, "/private"), new JdkRecorder())
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        assertEquals(403, refused.getResponse().statusCode());
        assertTrue(accepted.isEmpty(), "no handler made for a refused connection");
    }

    @OnEachTransport
    void closeStartedByJdk(WeftTransport weft) throws Exception {
        JdkRecorder client = connect(weft);
        WeftEcho handler = serverHandler();
        client.ws.sendClose(1000, "jdk done").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals("1000 jdk done", handler.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertTrue(client.awaitClose().startsWith("1000 "), "Weft answers with 1000");
        assertTrue(client.ws.isInputClosed() && client.ws.isOutputClosed());
    }

    @OnEachTransport
    void closeStartedByWeft(WeftTransport weft) throws Exception {
        JdkRecorder client = connect(weft);
        WeftEcho handler = serverHandler();
        client.ws.sendText(WeftEcho.CLOSE_COMMAND, true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(WeftEcho.CLOSE_CODE + " " + WeftEcho.CLOSE_REASON, client.awaitClose());
        // The JDK answers the close once onClose's stage completes, echoing the code.
        String weftSaw = handler.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertTrue(weftSaw.startsWith(WeftEcho.CLOSE_CODE + " "), "Weft saw " + weftSaw);
        assertTrue(client.ws.isInputClosed());
    }

    // ---------------------------------------------------------------- helpers

    private static WeftEcho newHandler() {
        WeftEcho handler = new WeftEcho(true);
        accepted.add(handler);
        return handler;
    }

    private static URI uri(WeftTransport weft, String path) {
        return servers.computeIfAbsent(weft, t -> t.serve(
                WeftEcho.config(LIMIT).toBuilder().subprotocols(SERVER_SUBPROTOCOLS).build(),
                new WeftTransport.Endpoint("/echo", JdkClientInteropTest::newHandler),
                new WeftTransport.Endpoint("/private", JdkClientInteropTest::newHandler,
                        (request, decision) -> decision.reject(403, "members only")))).uri(path);
    }

    private static JdkRecorder connect(WeftTransport weft) throws Exception {
        JdkRecorder client = new JdkRecorder();
        client.ws = http.newWebSocketBuilder().buildAsync(uri(weft, "/echo"), client)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return client;
    }

    /** The handler the server made for the connection this test opened. */
    private static WeftEcho serverHandler() throws InterruptedException {
        WeftEcho handler = accepted.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(handler, "the server accepted no connection");
        return handler;
    }

    private static Connection serverSide() throws Exception {
        return serverHandler().opened.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static void closeNormally(JdkRecorder client) throws Exception {
        client.ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertTrue(client.awaitClose().startsWith("1000 "));
    }

    /**
     * A JDK listener that assembles messages the JDK delivers in parts and records them for the
     * test thread. The JDK calls it one method at a time.
     */
    private static final class JdkRecorder extends Inbox implements WebSocket.Listener {

        volatile WebSocket ws;
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            binary.writeBytes(part);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            pongs.add(StandardCharsets.UTF_8.decode(message).toString());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
