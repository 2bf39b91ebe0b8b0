package dev.weft.interop;

import dev.weft.api.WebSocketConfig;
import dev.weft.ext.permessagedeflate.PerMessageDeflate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Jetty 12's WebSocket client, an implementation nobody here wrote, against the Weft server of each
 * {@link WeftTransport} with permessage-deflate, with and without context takeover on the server's
 * side.
 */
class JettyClientInteropTest {

    private static final int MIB = 1 << 20;
    private static WebSocketClient jetty;

    @BeforeAll
    static void start() throws Exception {
        jetty = new WebSocketClient();
        jetty.setMaxTextMessageSize(4 * MIB);
        jetty.setMaxBinaryMessageSize(4 * MIB);
        jetty.start();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
    }

    /** What Jetty's client receives, for the test thread to wait on. */
    public static final class JettyRecorder extends Session.Listener.AbstractAutoDemanding {
        final Inbox inbox = new Inbox() { };

        @Override
        public void onWebSocketText(String message) {
            inbox.messages.add(message);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            inbox.messages.add(bytes);
            callback.succeed();
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            inbox.closed.complete(statusCode + " " + (reason == null ? "" : reason));
            callback.succeed();
        }
    }

    static Stream<Arguments> contextTakeover() {
        return WeftTransport.withEach(false, true);
    }

    @ParameterizedTest(name = "{0}, server no context takeover: {1}")
    @MethodSource("contextTakeover")
    void jettyClientAgainstTheWeftServerWithPermessageDeflate(WeftTransport weft, boolean noContextTakeover)
            throws Exception {
        WebSocketConfig config = WeftEcho.config(32 << 20).toBuilder()
                .extensions(List.of(PerMessageDeflate.builder().threshold(0).serverNoContextTakeover(noContextTakeover).build()))
                .build();
        try (WeftTransport.Server server = weft.serve(config, WeftTransport.Endpoint.echo("/echo"))) {
            JettyRecorder recorder = new JettyRecorder();
            ClientUpgradeRequest request = new ClientUpgradeRequest();
            request.addExtensions("permessage-deflate");
            Session session = jetty.connect(recorder, server.uri("/echo"), request)
                    .get(Inbox.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<ExtensionConfig> agreed = session.getUpgradeResponse().getExtensions();
            assertEquals("permessage-deflate", agreed.get(0).getName());
            assertEquals(noContextTakeover, agreed.get(0).getParameters().containsKey("server_no_context_takeover"));
            for (int size : new int[] {0, 1, 4096, 65536, MIB}) {
                String text = Payloads.ascii(size);
                byte[] data = Payloads.binary(size, size);
                session.sendText(text, Callback.NOOP);
                session.sendBinary(ByteBuffer.wrap(data), Callback.NOOP);
                assertEquals(text, recorder.inbox.nextText());
                assertArrayEquals(data, recorder.inbox.nextBinary());
            }
            session.close(1000, "done", Callback.NOOP);
            // Jetty reports the close frame it received: Weft echoes the code, not the reason
            // (RFC 6455 §5.5.1: "typically echos the status code it received").
            assertEquals("1000 ", recorder.inbox.awaitClose());
        }
    }
}
