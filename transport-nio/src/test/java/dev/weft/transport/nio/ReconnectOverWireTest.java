package dev.weft.transport.nio;

import dev.weft.api.handshake.Headers;
import dev.weft.api.reconnect.Reconnect;
import dev.weft.api.reconnect.ReconnectingConnection;
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

/** The NIO client under a server that is stopped and started again behind a {@link Relay}, which keeps its port. */
class ReconnectOverWireTest {

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
        WebSocketServer first = Echo.server();
        try (Relay relay = Relay.to(first.port()); WebSocketClient client = Echo.client()) {
            ReconnectingConnection c = client.connect(URI.create("ws://127.0.0.1:" + relay.port() + "/echo"),
                    Headers.empty(), app, reconnect).get(30, TimeUnit.SECONDS);
            c.sendText("before");
            assertEquals("before", app.nextText());

            relay.refuse();
            first.close();
            assertEquals("attempt", events.poll(30, TimeUnit.SECONDS), "the drop was seen");
            try (WebSocketServer second = Echo.server()) {
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
