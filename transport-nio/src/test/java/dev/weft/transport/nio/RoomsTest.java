package dev.weft.transport.nio;

import dev.weft.cluster.Rooms;
import java.time.Duration;
import dev.weft.testing.Recorder;
import dev.weft.api.Connection;
import dev.weft.api.Message;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeRequest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rooms and broadcast, with one encoded frame shared by every recipient. */
class RoomsTest {

    @Test
    void aBroadcastReachesTheRoomAndOnlyTheRoom() throws Exception {
        WebSocketServer[] holder = new WebSocketServer[1];
        // /room/NAME joins room NAME; each text message is broadcast to its room.
        java.util.function.Function<HandshakeRequest, WebSocketHandler> member = request -> new WebSocketHandler() {
            final String room = request.path().substring("/room/".length());

            @Override
            public void onOpen(Connection c) {
                holder[0].rooms().join(room, c);
            }

            @Override
            public void onText(Connection c, String text) {
                holder[0].rooms().broadcast(room, Message.text(text));
            }
        };
        try (WebSocketServer server = Echo.builder().endpoint("/room/*", member).build().start();
             WebSocketClient client = Echo.client()) {
            holder[0] = server;
            List<Recorder> a = new ArrayList<>();
            List<Recorder> b = new ArrayList<>();
            List<Connection> aConnections = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Recorder e = Recorder.recording();
                aConnections.add(client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/room/a"), e).get(20, TimeUnit.SECONDS));
                a.add(e);
            }
            for (int i = 0; i < 2; i++) {
                Recorder e = Recorder.recording();
                client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/room/b"), e).get(20, TimeUnit.SECONDS);
                b.add(e);
            }
            // Joining happens in onOpen on the server; wait until the rooms are full.
            for (Recorder e : a) {
                e.expect("open");
            }
            for (Recorder e : b) {
                e.expect("open");
            }
            awaitMembers(server, "a", 3);
            awaitMembers(server, "b", 2);

            aConnections.get(0).sendText("to a");
            for (Recorder e : a) {
                e.expect("text:to a");
            }
            for (Recorder e : b) {
                assertTrue(e.poll(Duration.ofMillis(200)).isEmpty(), "room b hears nothing");
            }

            aConnections.get(1).close();
            a.get(1).closeCode();
            awaitMembers(server, "a", 2);

            assertEquals(5 - 1, server.broadcast(Message.binary(ByteBuffer.wrap(new byte[] {1, 2}))));
            for (int i : new int[] {0, 2}) {
                a.get(i).expect("binary:0102");
            }
            for (Recorder e : b) {
                e.expect("binary:0102");
            }
        }
    }

    private static void awaitMembers(WebSocketServer server, String room, int n) throws InterruptedException {
        // Membership changes on the loop threads; poll the public view with a bound.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.rooms().members(room).size() != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("room " + room + " has " + server.rooms().members(room).size() + ", not " + n);
            }
            Thread.onSpinWait();
        }
    }
}
