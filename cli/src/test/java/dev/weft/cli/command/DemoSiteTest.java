package dev.weft.cli.command;

import dev.weft.api.Message;
import dev.weft.transport.blocking.BlockingWebSocket;
import dev.weft.transport.blocking.BlockingWebSocketServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static dev.weft.cli.command.CliRun.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's chat rooms on the blocking server, which keeps no rooms of its own. */
class DemoSiteTest {

    @Test
    void aMemberLeavesItsRoomWhenItsConnectionCloses() throws Exception {
        DemoSite site = new DemoSite();
        // A permit per connection thread that has ended: by then its handler's onClose has run.
        Semaphore ended = new Semaphore(0);
        Executor threads = task -> new Thread(() -> {
            try {
                task.run();
            } finally {
                ended.release();
            }
        }).start();
        try (BlockingWebSocketServer server = site.addTo(BlockingWebSocketServer.builder()).threads(threads).build().start()) {
            URI room = URI.create("ws://127.0.0.1:" + server.port() + "/chat/r");
            try (BlockingWebSocket alice = BlockingWebSocket.connect(room)) {
                // Each one's own message coming back shows it has joined.
                alice.sendText("alice here");
                assertEquals(Message.text("alice here"), alice.receive(WAIT));
                BlockingWebSocket bob = BlockingWebSocket.connect(room);
                bob.sendText("bob here");
                assertEquals(Message.text("bob here"), bob.receive(WAIT));
                assertEquals(Set.of("r"), site.rooms().names());
                assertEquals(2, site.rooms().members("r").size());

                bob.close();
                assertTrue(ended.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS), "bob's connection thread did not end");
                assertEquals(1, site.rooms().members("r").size(), "alice stays");

                alice.close();
                assertTrue(ended.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS), "alice's connection thread did not end");
                assertEquals(Set.of(), site.rooms().names(), "an empty room is gone");
            }
        }
    }
}
