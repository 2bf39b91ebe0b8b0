package dev.weft.transport.blocking;

import dev.weft.api.Connection;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.Headers;
import dev.weft.api.reconnect.Reconnect;
import dev.weft.api.reconnect.ReconnectingConnection;
import dev.weft.testing.CannedHttpServer;
import dev.weft.testing.Recorder;
import dev.weft.testing.Relay;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocking client's redirects (followed only when asked) and its reconnects across a server restart
 * (behind a {@link Relay}, which keeps the port the client knows).
 */
class ClientRedirectAndReconnectTest {

    private static BlockingWebSocketServer echoServer() {
        return BlockingWebSocketServer.builder().bind("127.0.0.1", 0).endpoint("/echo", Recorder::echoing)
                .build().start();
    }

    private static String redirect(int status, String location) {
        return "HTTP/1.1 " + status + " Redirect\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n";
    }

    @Test
    void redirectsAreFollowedOnlyWhenAskedAndOnlySoFar() throws Exception {
        try (BlockingWebSocketServer server = echoServer();
             CannedHttpServer old = CannedHttpServer.start(target -> target.equals("/a/first")
                     ? redirect(301, "second")
                     : redirect(307, "ws://127.0.0.1:" + server.port() + "/echo"))) {
            URI uri = URI.create("ws://127.0.0.1:" + old.port() + "/a/first");

            HandshakeException refused = assertThrows(HandshakeException.class,
                    () -> BlockingWebSocketClient.defaults().open(uri));
            assertEquals(301, refused.status());
            assertEquals("second", refused.headers().first("Location").orElseThrow());

            HandshakeException tooMany = assertThrows(HandshakeException.class,
                    () -> BlockingWebSocketClient.builder().followRedirects(1).build().open(uri));
            assertEquals(307, tooMany.status());
            assertTrue(tooMany.getMessage().contains("over the limit of 1"), tooMany.getMessage());

            Recorder recorder = Recorder.recording();
            Connection c = BlockingWebSocketClient.builder().followRedirects(2).build()
                    .connect(uri, Headers.empty(), recorder);
            assertEquals("/echo", c.handshakeRequest().target());
            c.sendText("here");
            assertEquals("here", recorder.nextText());
            c.close();
            assertEquals(1000, recorder.closeCode());
            assertEquals(List.of("/a/first", "/a/first", "/a/second", "/a/first", "/a/second"), old.targets());
        }
    }

    @Test
    void aConnectedClientComesBackAfterTheServerRestartsAndSubscribesAgain() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Reconnect reconnect = Reconnect.builder()
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .onAttempt((attempt, delay, cause) -> events.add("attempt"))
                .onReconnect(connection -> {
                    events.add("reconnected");
                    connection.sendText("subscribe");
                })
                .build();
        Recorder app = Recorder.recording();
        BlockingWebSocketServer first = echoServer();
        try (Relay relay = Relay.to(first.port())) {
            ReconnectingConnection c = BlockingWebSocketClient.defaults().connect(
                    URI.create("ws://127.0.0.1:" + relay.port() + "/echo"), Headers.empty(), app, reconnect);
            c.sendText("before");
            assertEquals("before", app.nextText());

            relay.refuse();
            first.close();
            assertEquals("attempt", events.poll(30, TimeUnit.SECONDS), "the drop was seen");
            try (BlockingWebSocketServer second = echoServer()) {
                relay.forwardTo(second.port());
                String event;
                do {
                    event = events.poll(30, TimeUnit.SECONDS);
                    assertNotNull(event, "no reconnect");
                } while (event.equals("attempt"));
                assertEquals("reconnected", event);
                assertEquals("subscribe", app.nextText(), "the hook's message, echoed by the new server");
                c.sendText("after");
                assertEquals("after", app.nextText());
                assertEquals(List.of("open", "text:before", "text:subscribe", "text:after"), app.take(),
                        "one open, and no close across the restart");
                c.close();
                assertEquals(1000, app.closeCode());
            }
        }
    }
}
