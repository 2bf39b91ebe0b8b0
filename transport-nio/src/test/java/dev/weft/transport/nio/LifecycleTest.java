package dev.weft.transport.nio;

import dev.weft.testing.RawClient;
import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.testing.Recorder;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connections ending every way they can, and the timers that end them. */
class LifecycleTest {

    @Test
    void abruptDisconnectsAreCleanedUp() throws Exception {
        int peers = 100;
        CountDownLatch closed = new CountDownLatch(peers);
        List<Integer> codes = java.util.Collections.synchronizedList(new ArrayList<>());
        try (WebSocketServer server = Echo.builder().endpoint("/watch", () -> new WebSocketHandler() {
            @Override
            public void onClose(Connection c, int code, String reason) {
                codes.add(code);
                closed.countDown();
            }
        }).build().start()) {
            List<RawClient> raws = new ArrayList<>();
            for (int i = 0; i < peers; i++) {
                RawClient raw = new RawClient(server.port());
                raw.send(RawClient.UPGRADE.replace("/echo", "/watch"));
                assertTrue(raw.readHead().startsWith("HTTP/1.1 101"));
                raws.add(raw);
            }
            assertEquals(peers, server.stats().connectionsOpen());
            for (int i = 0; i < peers; i++) {
                if (i % 2 == 0) {
                    raws.get(i).socket().setSoLinger(true, 0); // reset
                }
                raws.get(i).close(); // half of them FIN, half RST
            }
            assertTrue(closed.await(20, TimeUnit.SECONDS));
            assertTrue(codes.stream().allMatch(c -> c == 1006), codes.toString());
            assertEquals(0, server.stats().connectionsOpen());
            assertEquals(0, server.connections().size());
            assertEquals(peers, server.stats().closesByCode().get(1006));
        }
    }

    @Test
    void aProtocolErrorOverTheWireIsClosedWith1002AndCounted() throws Exception {
        try (WebSocketServer server = Echo.server(); RawClient raw = RawClient.upgraded(server.port())) {
            byte[] frame = raw.frame(true, dev.weft.api.Opcode.TEXT, "x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            frame[0] |= 0x20; // RSV2, which no extension claimed
            raw.send(frame);
            dev.weft.api.Frame close = raw.readFrame();
            assertEquals(dev.weft.api.Opcode.CLOSE, close.opcode());
            assertEquals(1002, close.payload().getShort() & 0xFFFF);
            assertTrue(raw.readsEndOfStream(), "the server closes TCP after failing the connection");
            assertEquals(1, server.stats().protocolErrors());
            assertEquals(1L, server.stats().closesByCode().get(1002));
        }
    }

    @Test
    void keepAlivePingsReachTheClientAndAreAnswered() throws Exception {
        Recorder client = Recorder.recording();
        Recorder serverSide = Recorder.recording();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1)
                .config(Echo.CONFIG.toBuilder().keepAliveInterval(Duration.ofMillis(100)).build())
                .endpoint("/echo", () -> serverSide).build().start();
             WebSocketClient weft = Echo.client()) {
            weft.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), client).get(20, TimeUnit.SECONDS);
            client.expect("open", "ping:", "ping:");
            serverSide.expect("open", "pong:", "pong:");
        }
    }

    @Test
    void gracefulShutdownClosesEveryConnectionWith1001() throws Exception {
        WebSocketServer server = Echo.server();
        List<Recorder> clients = new ArrayList<>();
        try (WebSocketClient weft = Echo.client()) {
            for (int i = 0; i < 10; i++) {
                Recorder e = Recorder.recording();
                weft.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), e).get(20, TimeUnit.SECONDS);
                clients.add(e);
            }
            server.shutdown(Duration.ofSeconds(10));
            for (Recorder e : clients) {
                assertEquals(1001, e.closeCode());
            }
            assertEquals(0, server.stats().connectionsOpen());
            assertThrows(java.io.IOException.class, () -> new RawClient(server.port()).readsEndOfStream(),
                    "no longer accepting");
        }
    }

    @Test
    void closingAClientClosesItsConnectionsWith1001() throws Exception {
        Recorder serverSide = Recorder.recording();
        Recorder clientSide = Recorder.recording();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(Echo.CONFIG)
                .endpoint("/echo", () -> serverSide).build().start()) {
            WebSocketClient weft = Echo.client();
            weft.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), clientSide).get(20, TimeUnit.SECONDS);
            weft.close();
            clientSide.expect("open", "close:1001:");
            serverSide.expect("open", "close:1001:client going away");
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> weft.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), Recorder.recording()).get(20, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
        }
    }

    @Test
    void stoppingASharedLoopGroupTellsEveryOpenConnection() throws Exception {
        Recorder clientSide = Recorder.recording();
        EventLoopGroup group = new EventLoopGroup(1, "shared");
        try (WebSocketServer server = Echo.server()) {
            WebSocketClient weft = WebSocketClient.builder().eventLoops(group).config(Echo.CONFIG).build();
            weft.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), clientSide).get(20, TimeUnit.SECONDS);
            group.close();
            clientSide.expect("open", "error:IOException");
            assertTrue(clientSide.next().startsWith("close:1006:"));
        }
    }

    @Test
    void aRefusedConnectionFailsTheFuture() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (WebSocketClient weft = Echo.client()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> weft.connect(URI.create("ws://127.0.0.1:" + port + "/echo"), Recorder.recording()).get(20, TimeUnit.SECONDS));
            assertInstanceOf(ConnectException.class, e.getCause());
            assertEquals(0, weft.stats().connectionsOpen());
        }
    }

    @Test
    void aRefusedHandshakeFailsTheFutureWithTheStatus() throws Exception {
        try (WebSocketServer server = Echo.server(); WebSocketClient weft = Echo.client()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> weft.connect(URI.create("ws://127.0.0.1:" + server.port() + "/nowhere"), Recorder.recording())
                            .get(20, TimeUnit.SECONDS));
            HandshakeException h = assertInstanceOf(HandshakeException.class, e.getCause());
            assertEquals(404, h.status());
            assertTrue(h.getMessage().contains("404"), h.getMessage());
        }
    }

    @Test
    void wssNeedsTheTlsTransport() {
        try (WebSocketClient weft = Echo.client()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> weft.connect(URI.create("wss://127.0.0.1:1/echo"), Recorder.recording()).get());
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
        }
    }

    @Test
    void callbacksCanRunOnAnExecutor() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "handler-pool");
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.CompletableFuture<String> thread = new java.util.concurrent.CompletableFuture<>();
        try (WebSocketServer server = Echo.builder().transport(TransportConfig.builder().handlerExecutor(pool).build())
                .endpoint("/where", () -> new WebSocketHandler() {
                    @Override
                    public void onText(Connection c, String text) {
                        thread.complete(Thread.currentThread().getName());
                        c.sendText(text);
                    }
                }).build().start();
             WebSocketClient weft = Echo.client()) {
            Recorder events = Recorder.recording();
            Connection c = weft.connect(URI.create("ws://127.0.0.1:" + server.port() + "/where"), events).get(20, TimeUnit.SECONDS);
            c.sendText("hi");
            events.expect("open", "text:hi");
            assertEquals("handler-pool", thread.get(20, TimeUnit.SECONDS));
            assertNotEquals(null, server.stats().toString());
        } finally {
            pool.shutdownNow();
        }
    }
}
