package dev.weft.transport.blocking;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.Interceptors;
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

    @Test
    void interceptorsDecideAsOnTheNioServer() throws Exception {
        try (BlockingWebSocketServer server = echoServer()
                .interceptor(Interceptors.allowOrigins("https://good.example")).build().start()) {
            try (RawClient refused = new RawClient(server.port())) {
                refused.send(RawClient.UPGRADE.replace("\r\n\r\n", "\r\nOrigin: https://evil.example\r\n\r\n"));
                assertTrue(refused.readHead().startsWith("HTTP/1.1 403"));
            }
            try (RawClient allowed = new RawClient(server.port())) {
                allowed.send(RawClient.UPGRADE.replace("\r\n\r\n", "\r\nOrigin: https://good.example\r\n\r\n"));
                assertTrue(allowed.readHead().startsWith("HTTP/1.1 101"));
            }
        }
    }

    @Test
    void keepalivePingsGoOutOnTheirTimerWhileNobodySends() throws Exception {
        WebSocketConfig pinging = WebSocketConfig.builder().keepAliveInterval(Duration.ofMillis(100)).build();
        try (BlockingWebSocketServer server = echoServer().config(pinging).build().start();
             RawClient client = RawClient.upgraded(server.port())) {
            assertEquals(Opcode.PING, client.readFrame().opcode());
            assertEquals(Opcode.PING, client.readFrame().opcode());
        }
    }

    @Test
    void unfinishedMessagesPastTheMemoryBudgetAreClosedWith1013AndOthersAreStillServed() throws Exception {
        int mib = 1 << 20;
        WebSocketConfig large = WebSocketConfig.builder().maxFrameSize(64 * mib).maxMessageSize(64 * mib).build();
        try (BlockingWebSocketServer server = echoServer().config(large).memoryBudget(2L * mib).build().start()) {
            List<RawClient> attackers = new ArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                RawClient c = RawClient.upgraded(server.port());
                attackers.add(c);
                // Each declares 8 MiB and sends 1 MiB of it, from a thread of its own: a paused
                // connection's writes block in TCP.
                Thread writer = new Thread(() -> {
                    try {
                        c.send(declaredBinaryHeader(8L * mib));
                        for (int k = 0; k < 16; k++) {
                            c.send(new byte[64 * 1024]);
                        }
                    } catch (IOException closedByTheServer) {
                        // expected once the budget closes this one
                    }
                });
                writer.start();
                writers.add(writer);
            }
            int closedWith1013 = 0;
            for (RawClient c : attackers) {
                try {
                    c.socket().setSoTimeout(2000);
                    Frame frame = c.readFrame();
                    if (frame.opcode() == Opcode.CLOSE && frame.payload().getShort() == CloseCodes.TRY_AGAIN_LATER) {
                        closedWith1013++;
                    }
                } catch (IOException timedOutOrReset) {
                    // paused, not closed: it holds less than the largest
                }
            }
            assertTrue(closedWith1013 >= 1, "the largest holders are told 1013");
            try (BlockingWebSocket ws = BlockingWebSocket.connect(uri(server))) {
                ws.sendText("still served");
                assertEquals("still served", ((dev.weft.api.Message.Text) ws.receive()).text());
            }
            for (RawClient c : attackers) {
                c.close();
            }
            for (Thread writer : writers) {
                writer.join(10_000);
            }
        }
    }

    /** A masked binary frame header declaring {@code length} bytes (mask key zero: the bytes go as sent). */
    private static byte[] declaredBinaryHeader(long length) {
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(14);
        header.put((byte) 0x82).put((byte) (0x80 | 127)).putLong(length).putInt(0);
        return header.array();
    }

    private static BlockingWebSocketServer.Builder echoServer() {
        return BlockingWebSocketServer.builder().endpoint("/echo", Recorder::echoing);
    }

    private static URI uri(BlockingWebSocketServer server) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/echo");
    }
}
