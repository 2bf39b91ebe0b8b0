package dev.weft.transport.blocking;

import dev.weft.api.Connection;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.StaticResources;
import dev.weft.testing.RawClient;
import dev.weft.testing.Recorder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link BlockingWebSocketServer}: its threads, caps, plain HTTP and shutdown, over real sockets. */
class BlockingWebSocketServerTest {

    @Test
    void gracefulShutdownClosesEveryConnectionWith1001AndStopsAccepting() throws Exception {
        BlockingWebSocketServer server = echoServer().build().start();
        List<Recorder> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Recorder client = Recorder.recording();
            BlockingWebSocketClient.defaults().connect(uri(server), client);
            client.awaitOpen();
            clients.add(client);
        }
        server.shutdown(Duration.ofSeconds(10));
        for (Recorder client : clients) {
            assertEquals(1001, client.closeCode());
        }
        assertTrue(server.connections().isEmpty());
        assertThrows(IOException.class, () -> BlockingWebSocket.connect(uri(server)));
    }

    @Test
    void aPeerThatNeverAnswersTheCloseIsAbortedAtTheShutdownDeadline() throws Exception {
        Recorder handler = Recorder.recording();
        BlockingWebSocketServer server = BlockingWebSocketServer.builder().endpoint("/echo", () -> handler).build().start();
        try (RawClient silent = RawClient.upgraded(server.port())) {
            handler.awaitOpen();
            server.shutdown(Duration.ofMillis(200));
            assertEquals(Opcode.CLOSE, silent.readFrame().opcode());
            assertTrue(silent.readsEndOfStream());
            assertEquals(1006, handler.closeCode(), "aborted: it never answered");
        }
    }

    @Test
    void overTheConnectionCapAClientIsAnswered503WithRetryAfter() throws Exception {
        try (BlockingWebSocketServer server = echoServer().maxConnections(1).build().start()) {
            try (BlockingWebSocket first = BlockingWebSocket.connect(uri(server))) {
                HandshakeException refused = assertThrows(HandshakeException.class, () -> BlockingWebSocket.connect(uri(server)));
                assertEquals(503, refused.status());
            }
        }
    }

    @Test
    void whenEveryThreadIsBusyANewConnectionIsAnswered503RatherThanQueued() throws Exception {
        ThreadPoolExecutor oneThread = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new SynchronousQueue<>());
        try (BlockingWebSocketServer server = BlockingWebSocketServer.builder().threads(oneThread)
                .endpoint("/echo", () -> new WebSocketHandler() {
                    @Override
                    public void onText(Connection c, String text) {
                        c.sendText(text);
                    }
                })
                .build().start()) {
            try (BlockingWebSocket first = BlockingWebSocket.connect(uri(server))) {
                // The one thread serves the first connection for as long as it is open.
                try (RawClient second = new RawClient(server.port())) {
                    second.send(RawClient.UPGRADE);
                    String head = second.readHead();
                    assertTrue(head.startsWith("HTTP/1.1 503"), head);
                    assertTrue(head.contains("Retry-After: "), head);
                }
                first.sendText("the first is still served");
                assertEquals("the first is still served", ((dev.weft.api.Message.Text) first.receive()).text());
            }
        } finally {
            oneThread.shutdown();
        }
    }

    @Test
    void plainHttpIsAnsweredByTheResponderAndUnknownPathsGet404() throws Exception {
        try (BlockingWebSocketServer server = echoServer()
                .httpResponder(new StaticResources(BlockingWebSocketServerTest.class, "dev/weft/transport/blocking/web"))
                .build().start()) {
            try (RawClient page = new RawClient(server.port())) {
                page.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertTrue(page.readHead().startsWith("HTTP/1.1 200"));
                assertTrue(page.readToEnd().contains("blocking"));
            }
            try (RawClient upgrade = new RawClient(server.port())) {
                upgrade.send(RawClient.UPGRADE.replace("/echo", "/nowhere"));
                assertTrue(upgrade.readHead().startsWith("HTTP/1.1 404"));
            }
        }
    }

    @Test
    void handlersMayBlockWithoutHoldingUpOtherConnections() throws Exception {
        CountDownLatch unblock = new CountDownLatch(1);
        CompletableFuture<String> blockedSaw = new CompletableFuture<>();
        try (BlockingWebSocketServer server = BlockingWebSocketServer.builder()
                .endpoint("/block", () -> new WebSocketHandler() {
                    @Override
                    public void onText(Connection c, String text) {
                        try {
                            unblock.await(); // a slow database, say
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        blockedSaw.complete(text);
                    }
                })
                .endpoint("/echo", () -> new WebSocketHandler() {
                    @Override
                    public void onText(Connection c, String text) {
                        c.sendText(text);
                    }
                })
                .build().start()) {
            try (BlockingWebSocket blocked = BlockingWebSocket.connect(URI.create("ws://127.0.0.1:" + server.port() + "/block"));
                 BlockingWebSocket other = BlockingWebSocket.connect(uri(server))) {
                blocked.sendText("wait for me");
                other.sendText("not held up");
                assertEquals("not held up", ((dev.weft.api.Message.Text) other.receive()).text());
                assertFalse(blockedSaw.isDone());
                unblock.countDown();
                assertEquals("wait for me", blockedSaw.get(10, TimeUnit.SECONDS));
            }
        }
    }

    private static BlockingWebSocketServer.Builder echoServer() {
        return BlockingWebSocketServer.builder().endpoint("/echo", Recorder::echoing);
    }

    private static URI uri(BlockingWebSocketServer server) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/echo");
    }
}
