package dev.weft.interop;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.ext.permessagedeflate.PerMessageDeflate;
import dev.weft.testing.Recorder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.weft.interop.Payloads.MIB;
import static dev.weft.interop.Inbox.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Weft client of each {@link WeftTransport} against Jetty 12's WebSocket server, an
 * implementation nobody here wrote, embedded on 127.0.0.1 and an ephemeral port. Weft offers no
 * extensions, so no compression is negotiated, but for the permessage-deflate test.
 */
class JettyServerInteropTest {

    /** Jetty closes with this when asked to by {@link #CLOSE_COMMAND}. */
    private static final int JETTY_CLOSE_CODE = 4002;
    private static final String JETTY_CLOSE_REASON = "jetty says bye";
    private static final String CLOSE_COMMAND = "close-me";
    /** Jetty pings with {@link #JETTY_PING} when asked to, and reports the pong as a text message. */
    private static final String PING_COMMAND = "ping-me";
    private static final String JETTY_PING = "jetty ping";

    /** {@code "code reason"} of each close as Jetty's endpoint saw it. */
    private static final BlockingQueue<String> jettyCloses = new LinkedBlockingQueue<>();

    private static Server jetty;
    private static int port;
    /** A client per transport, made by the first test that needs it. */
    private static final Map<WeftTransport, WeftTransport.Client> clients = new EnumMap<>(WeftTransport.class);

    @BeforeAll
    static void start() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.setHandler(WebSocketUpgradeHandler.from(jetty, container -> {
            container.setMaxTextMessageSize(4 * MIB);
            container.setMaxBinaryMessageSize(4 * MIB);
            container.setMaxFrameSize(4 * MIB);
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.addMapping("/echo", (request, response, callback) -> new JettyEcho());
            container.addMapping("/parts", (request, response, callback) -> new JettyPartCounter());
        }));
        jetty.start();
        port = connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        clients.values().forEach(WeftTransport.Client::close);
        if (jetty != null) {
            jetty.stop();
        }
    }

    @BeforeEach
    void forgetEarlierCloses() {
        jettyCloses.clear();
    }

    static Stream<Arguments> contextTakeover() {
        return WeftTransport.withEach(false, true);
    }

    @ParameterizedTest(name = "{0}, no context takeover: {1}")
    @MethodSource("contextTakeover")
    void compressesWithPermessageDeflate(WeftTransport weft, boolean noContextTakeover) throws Exception {
        PerMessageDeflate deflate = PerMessageDeflate.builder().threshold(0)
                .clientNoContextTakeover(noContextTakeover).serverNoContextTakeover(noContextTakeover).build();
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of(deflate)).build();
        try (WeftTransport.Client compressing = weft.client(config)) {
            Recorder recorder = Recorder.recording();
            Connection c = compressing.connect(uri("/echo"), recorder).get(Inbox.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals("permessage-deflate", c.extensions().get(0).name());
            assertEquals(noContextTakeover, c.extensions().get(0).has("server_no_context_takeover"));
            for (int size : new int[] {0, 1, 4096, 65536, MIB}) {
                String text = Payloads.ascii(size);
                byte[] data = Payloads.binary(size, size);
                c.sendText(text);
                c.sendBinary(ByteBuffer.wrap(data));
                assertEquals(text, recorder.nextText());
                assertArrayEquals(data, recorder.nextBinary());
            }
            closeNormally(c, recorder);
        }
    }

    static Stream<Arguments> sizes() {
        return WeftTransport.withEach(0, 125, 126, 65535, 65536, MIB);
    }

    @ParameterizedTest(name = "{0}, {1} bytes")
    @MethodSource("sizes")
    void echoesText(WeftTransport weft, int size) throws Exception {
        Recorder recorder = Recorder.recording();
        Connection c = connect(weft, "/echo", recorder);
        String text = Payloads.ascii(size);
        c.sendText(text);
        assertEquals(text, recorder.nextText());
        closeNormally(c, recorder);
    }

    @ParameterizedTest(name = "{0}, {1} bytes")
    @MethodSource("sizes")
    void echoesBinary(WeftTransport weft, int size) throws Exception {
        Recorder recorder = Recorder.recording();
        Connection c = connect(weft, "/echo", recorder);
        byte[] data = Payloads.binary(size, size);
        c.sendBinary(ByteBuffer.wrap(data));
        assertArrayEquals(data, recorder.nextBinary());
        closeNormally(c, recorder);
    }

    @OnEachTransport
    void echoesTextWithCharactersOfEveryUtf8Length(WeftTransport weft) throws Exception {
        Recorder recorder = Recorder.recording();
        Connection c = connect(weft, "/echo", recorder);
        c.sendText(Payloads.MIXED);
        String big = Payloads.mixed(MIB);
        c.sendText(big);
        assertEquals(Payloads.MIXED, recorder.nextText());
        assertEquals(big, recorder.nextText());
        closeNormally(c, recorder);
    }

    @OnEachTransport
    void textSentInPartsArrivesAsOneMessageOfThatManyFrames(WeftTransport weft) throws Exception {
        Recorder recorder = Recorder.recording();
        Connection c = connect(weft, "/echo", recorder);
        c.sendText("Hello, ", false);
        c.sendText("", false);
        c.sendText("fragmented ", false);
        c.sendText("wörld 𝄞", true);
        c.sendText("after");
        assertEquals("Hello, fragmented wörld 𝄞", recorder.nextText());
        assertEquals("after", recorder.nextText());
        closeNormally(c, recorder);

        Recorder counted = Recorder.recording();
        Connection parts = connect(weft, "/parts", counted);
        parts.sendText("one ", false);
        parts.sendText("two ", false);
        parts.sendText("three", true);
        assertEquals("3 parts: one two three", counted.nextText());
        closeNormally(parts, counted);
    }

    @OnEachTransport
    void binarySentInPartsArrivesAsOneMessage(WeftTransport weft) throws Exception {
        Recorder recorder = Recorder.recording();
        Connection c = connect(weft, "/echo", recorder);
        byte[] data = Payloads.binary(200_000, 7);
        int[] cuts = {0, 1, 125, 126, 65_662, 65_662, 200_000};
        for (int i = 0; i + 1 < cuts.length; i++) {
            c.sendBinary(ByteBuffer.wrap(data, cuts[i], cuts[i + 1] - cuts[i]), i + 2 == cuts.length);
        }
        assertArrayEquals(data, recorder.nextBinary());
        closeNormally(c, recorder);
    }

    @OnEachTransport
    void jettyAnswersWeftPing(WeftTransport weft) throws Exception {
        Recorder recorder = Recorder.recording();
        Connection c = connect(weft, "/echo", recorder);
        c.ping(ByteBuffer.wrap("weft ping".getBytes(StandardCharsets.UTF_8)));
        assertEquals("weft ping", recorder.nextPong());
        closeNormally(c, recorder);
    }

    @OnEachTransport
    void weftAnswersJettyPing(WeftTransport weft) throws Exception {
        Recorder recorder = Recorder.recording();
        Connection c = connect(weft, "/echo", recorder);
        c.sendText(PING_COMMAND);
        assertEquals("jetty got pong: " + JETTY_PING, recorder.nextText());
        closeNormally(c, recorder);
    }

    @OnEachTransport
    void closeStartedByWeft(WeftTransport weft) throws Exception {
        Recorder recorder = Recorder.recording();
        Connection c = connect(weft, "/echo", recorder);
        c.close(CloseCodes.NORMAL_CLOSURE, "weft done").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals("1000 weft done", jettyCloses.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertTrue(recorder.awaitClose().startsWith("1000"), "Jetty answers with 1000");
        assertEquals(ConnectionState.CLOSED, c.state());
        assertTrue(recorder.errors().isEmpty(), "no error on a clean close");
    }

    @OnEachTransport
    void closeStartedByJetty(WeftTransport weft) throws Exception {
        Recorder recorder = Recorder.recording();
        Connection c = connect(weft, "/echo", recorder);
        c.sendText(CLOSE_COMMAND);
        assertEquals(JETTY_CLOSE_CODE + " " + JETTY_CLOSE_REASON, recorder.awaitClose());
        // Weft echoes the status code in its answer (RFC 6455 §5.5.1).
        String jettySaw = jettyCloses.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertTrue(jettySaw != null && jettySaw.startsWith(JETTY_CLOSE_CODE + " "), "Jetty saw " + jettySaw);
        assertEquals(ConnectionState.CLOSED, c.state());
    }

    @OnEachTransport
    void unknownPathIsRefusedWith404(WeftTransport weft) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client(weft).connect(uri("/nowhere"), Recorder.recording()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        HandshakeException refused = assertInstanceOf(HandshakeException.class, e.getCause());
        assertEquals(404, refused.status());
    }

    // ---------------------------------------------------------------- helpers

    private static URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    /** The client of {@code weft}, offering no extensions. */
    private static WeftTransport.Client client(WeftTransport weft) {
        return clients.computeIfAbsent(weft, t -> t.client(WebSocketConfig.builder().extensions(List.of()).build()));
    }

    private static Connection connect(WeftTransport weft, String path, Recorder recorder) throws Exception {
        Connection c = client(weft).connect(uri(path), recorder).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(List.of(), c.extensions(), "no extension negotiated");
        return c;
    }

    private static void closeNormally(Connection c, Recorder recorder) throws Exception {
        c.close(CloseCodes.NORMAL_CLOSURE, "");
        assertTrue(recorder.awaitClose().startsWith("1000"));
        assertEquals("1000 ", jettyCloses.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    // ---------------------------------------------------------------- Jetty's side

    /** Echoes whole messages; answers the test's commands. One per connection. */
    public static final class JettyEcho extends Session.Listener.AbstractAutoDemanding {

        @Override
        public void onWebSocketText(String message) {
            Session session = getSession();
            switch (message) {
                case CLOSE_COMMAND -> session.close(JETTY_CLOSE_CODE, JETTY_CLOSE_REASON, Callback.NOOP);
                case PING_COMMAND -> session.sendPing(
                        ByteBuffer.wrap(JETTY_PING.getBytes(StandardCharsets.UTF_8)), Callback.NOOP);
                default -> session.sendText(message, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            // The payload stays valid until the callback completes: once it has been sent.
            getSession().sendBinary(payload, callback);
        }

        @Override
        public void onWebSocketPong(ByteBuffer payload) {
            getSession().sendText("jetty got pong: " + StandardCharsets.UTF_8.decode(payload), Callback.NOOP);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            jettyCloses.add(statusCode + " " + (reason == null ? "" : reason));
            callback.succeed();
        }
    }

    /** Counts the frames of each text message as Jetty delivers them in parts, and says so. */
    @WebSocket(autoDemand = true)
    public static final class JettyPartCounter {

        private final StringBuilder text = new StringBuilder();
        private int parts;

        @OnWebSocketMessage
        public void onPart(Session session, String part, boolean last) {
            text.append(part);
            parts++;
            if (last) {
                session.sendText(parts + " parts: " + text, Callback.NOOP);
                text.setLength(0);
                parts = 0;
            }
        }

        @org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose
        public void onClose(int statusCode, String reason) {
            jettyCloses.add(statusCode + " " + (reason == null ? "" : reason));
        }
    }
}
