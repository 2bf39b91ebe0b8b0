package dev.weft.cli.command;

import dev.weft.api.Message;
import dev.weft.cluster.InMemoryBroker;
import dev.weft.cluster.Rooms;
import dev.weft.transport.blocking.BlockingWebSocket;
import dev.weft.transport.blocking.BlockingWebSocketServer;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static dev.weft.cli.command.CliRun.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The demo's chat across two nodes, one on each transport, whose rooms share an in-memory broker:
 * what {@code weft serve --cluster} does through Redis (tried with real processes in the Redis
 * module's tests).
 */
class ClusterChatTest {

    @Test
    void aMessageTypedOnOneNodeReachesTheRoomOnTheOtherAndThePageLearnsItsNode() throws Exception {
        InMemoryBroker.Bus bus = new InMemoryBroker.Bus();
        try (Rooms a = Rooms.builder().broker(bus.broker()).node("node-a").start();
             Rooms b = Rooms.builder().broker(bus.broker()).node("node-b").start();
             WebSocketServer nio = new DemoSite(a, "memory", null).addTo(WebSocketServer.builder()).build().start();
             BlockingWebSocketServer blocking = new DemoSite(b, "memory", null).addTo(BlockingWebSocketServer.builder())
                     .build().start()) {
            try (BlockingWebSocket alice = BlockingWebSocket.connect(URI.create("ws://127.0.0.1:" + nio.port() + "/chat/r"))) {
                // Her own message coming back shows she has joined; settled, node a hears the room.
                alice.sendText("alice here");
                assertEquals(Message.text("alice here"), alice.receive(WAIT));
                a.settled().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                try (BlockingWebSocket bob = BlockingWebSocket.connect(
                        URI.create("ws://127.0.0.1:" + blocking.port() + "/chat/r"))) {
                    bob.sendText("bob here");
                    assertEquals(Message.text("bob here"), bob.receive(WAIT));
                    assertEquals(Message.text("bob here"), alice.receive(WAIT), "from node b to node a");
                    b.settled().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);

                    alice.sendText("hello from a");
                    assertEquals(Message.text("hello from a"), alice.receive(WAIT));
                    assertEquals(Message.text("hello from a"), bob.receive(WAIT), "from node a to node b");
                }
            }
            HttpResponse<String> info = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + blocking.port() + "/info")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, info.statusCode());
            assertEquals("application/json", info.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("{\"node\":\"node-b\",\"cluster\":\"memory\"}", info.body());
        }
    }
}
