package dev.weft.transport.nio;

import dev.weft.testing.RawClient;
import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.Frame;
import dev.weft.api.Message;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.testing.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks on a real server over 127.0.0.1, each asserting on what the server accounts (its memory
 * holdings and budget, its counters) and on close codes, never on time or heap sizes: declared
 * lengths followed by a trickle, many connections holding unfinished messages against a small
 * budget, a bomb beside a neighbour on one event loop, a slow reader in a room, and churn.
 */
@Timeout(120)
class HostileLoadTest {

    private static final int MIB = 1 << 20;
    private static final WebSocketConfig LARGE = WebSocketConfig.builder().extensions(List.of())
            .maxFrameSize(64 * MIB).maxMessageSize(64 * MIB).build();

    @Test
    void declaredLengthsReserveNothingAndHoldingsFollowTheTrickle() throws Exception {
        try (WebSocketServer server = Echo.builder().config(LARGE).build().start()) {
            List<RawClient> attackers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                RawClient c = RawClient.upgraded(server.port());
                c.send(declaredHeader(64L * MIB));
                c.send(new byte[1]);
                attackers.add(c);
            }
            long read = server.stats().bytesIn();
            awaitTrue(() -> server.stats().heldBytes() > 0, "the attackers' first bytes held");
            assertTrue(server.stats().heldBytes() <= 5 * 256, "five headers and a byte each: " + server.stats().heldBytes());

            for (int round = 0; round < 10; round++) {
                for (RawClient c : attackers) {
                    c.send(new byte[1000]);
                }
            }
            long expected = read + 5 * 10 * 1000;
            awaitTrue(() -> server.stats().bytesIn() >= expected, "the trickle read");
            long perConnection = 1 + 10 * 1000;
            assertTrue(server.stats().heldBytes() <= 5 * (2 * perConnection + 256),
                    "holdings follow the bytes that arrived: " + server.stats().heldBytes());

            assertEchoes(server, "still serving");
            for (RawClient c : attackers) {
                c.close();
            }
            awaitTrue(() -> server.stats().heldBytes() == 0, "all holdings given back");
        }
    }

    @Test
    void manyUnfinishedMessagesAgainstASmallBudgetArePausedThenClosedWith1013() throws Exception {
        long budget = 2 * MIB;
        ExecutorService writers = Executors.newCachedThreadPool();
        try (WebSocketServer server = Echo.builder().config(LARGE).threads(1)
                .transport(TransportConfig.builder().memoryBudget(budget).build()).build().start()) {
            List<RawClient> attackers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                RawClient c = RawClient.upgraded(server.port());
                attackers.add(c);
                // Written from threads of their own: a paused connection's writes block in TCP.
                writers.execute(() -> {
                    try {
                        c.send(declaredHeader(8L * MIB));
                        for (int k = 0; k < 8; k++) {
                            c.send(new byte[64 * 1024]);
                        }
                    } catch (IOException closedByTheServer) {
                        // Expected once the budget closes this attacker.
                    }
                });
            }
            awaitTrue(() -> server.stats().closedByBudget() >= 1, "the budget closes the largest holder");
            // The evicted connection's holdings count until its eviction runs on the loop (they are
            // left out of the budget's decisions meanwhile, so the others may hold up to the budget).
            assertTrue(server.stats().heldBytes() <= 2 * budget + MIB,
                    "within the budget and one read per loop, plus the evicted holder's: " + server.stats().heldBytes());
            awaitTrue(() -> server.stats().heldBytes() <= budget + MIB,
                    "within the budget and one read per loop once the eviction has run");
            assertEchoes(server, "a well-behaved client is still served");

            int closedWith1013 = 0;
            for (RawClient c : attackers) {
                c.socket().setSoTimeout(100);
                if (closeCodeOrZero(c) == CloseCodes.TRY_AGAIN_LATER) {
                    closedWith1013++;
                }
                c.close();
            }
            assertTrue(closedWith1013 >= 1, "an evicted attacker is told 1013");
            awaitTrue(() -> server.stats().heldBytes() == 0, "all holdings given back");
        } finally {
            writers.shutdownNow();
        }
    }

    @Test
    void aBombYieldsToItsLoopSoANeighbourIsServedBeforeTheBombsClose() throws Exception {
        BombExtensionFactory bombs = new BombExtensionFactory();
        WebSocketConfig config = Echo.CONFIG.toBuilder().maxMessageSize(4 * MIB).extensions(List.of(bombs)).build();
        List<String> serverEvents = java.util.Collections.synchronizedList(new ArrayList<>());
        WebSocketHandler handler = new WebSocketHandler() {
            @Override
            public void onText(Connection c, String text) {
                serverEvents.add("echo:" + text);
                c.sendText(text);
                bombs.defuse.set(true); // served while the bomb was going off: it may finish now
            }

            @Override
            public void onError(Connection c, Throwable error) {
                serverEvents.add("error:" + error.getMessage());
            }
        };
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(config)
                .endpoint("/echo", () -> handler).build().start();
             WebSocketClient client = WebSocketClient.builder().threads(1).config(config).build()) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/echo");
            Recorder bombEvents = Recorder.recording();
            Recorder neighbourEvents = Recorder.recording();
            Connection bomb = client.connect(uri, bombEvents).get(20, TimeUnit.SECONDS);
            Connection neighbour = client.connect(uri, neighbourEvents).get(20, TimeUnit.SECONDS);

            bomb.sendText("BOOM");
            awaitTrue(() -> bombs.slices.get() >= 2, "the bomb going off");
            neighbour.sendText("hello");
            neighbourEvents.expect("open", "text:hello");
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, bombEvents.closeCode());
            assertEquals(List.of("echo:hello", "error:the bomb went past the limit"), serverEvents);
            assertTrue(server.stats().slicesDecoded() >= 2, "slices on later turns: " + server.stats().slicesDecoded());
        }
    }

    @Test
    void aSlowReaderInARoomIsClosedAndTheOthersGetEveryMessage() throws Exception {
        long maxQueued = MIB;
        WebSocketConfig config = Echo.CONFIG.toBuilder().closeTimeout(Duration.ofMillis(500)).build();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(config)
                .transport(TransportConfig.builder().watermarks(64 * 1024, 256 * 1024).maxQueuedBytes(maxQueued).build())
                .endpoint("/echo", () -> new WebSocketHandler() { }).build().start();
             WebSocketClient client = Echo.client()) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/echo");
            List<Recorder> readers = new ArrayList<>();
            List<Connection> members = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Recorder e = Recorder.recording();
                client.connect(uri, e).get(20, TimeUnit.SECONDS);
                e.expect("open");
                readers.add(e);
            }
            RawClient slow = RawClient.upgraded(server.port());
            slow.socket().setReceiveBufferSize(4096);
            awaitTrue(() -> server.connections().size() == 4, "four members");
            members.addAll(server.connections());
            Connection slowMember = members.stream()
                    .filter(c -> ((java.net.InetSocketAddress) c.remoteAddress()).getPort() == slow.socket().getLocalPort())
                    .findFirst().orElseThrow();
            for (Connection c : members) {
                server.rooms().join("room", c);
            }

            ByteBuffer payload = ByteBuffer.allocate(64 * 1024);
            int sent = 0;
            while (slowMember.isOpen() && sent < 2000) {
                server.rooms().broadcast("room", Message.binary(payload.duplicate()));
                sent++;
                for (Recorder e : readers) {
                    assertEquals("binary:" + payload.capacity() + " bytes", e.next());
                }
                assertTrue(server.stats().heldBytes() <= 4 * (maxQueued + 64 * 1024),
                        "queues stay bounded: " + server.stats().heldBytes());
            }
            assertTrue(sent < 2000, "the slow reader is closed for its write queue");
            awaitTrue(() -> server.rooms().members("room").size() == 3, "the slow reader left the room");
            for (int i = 0; i < 3; i++) {
                server.rooms().broadcast("room", Message.text("after " + i));
                for (Recorder e : readers) {
                    assertEquals("text:after " + i, e.next());
                }
            }
            slow.close();
        }
    }

    @Test
    void slowlorisHeadsTrickledAByteAtATimeAreClosedAtTheHandshakeTimeout() throws Exception {
        WebSocketConfig config = Echo.CONFIG.toBuilder().handshakeTimeout(Duration.ofMillis(500)).build();
        try (WebSocketServer server = Echo.builder().config(config).build().start()) {
            List<RawClient> slow = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                slow.add(new RawClient(server.port()));
            }
            // A head that never ends, a byte per connection every 20 ms: the bytes keep coming, but
            // the deadline counts from the connection's start, not from its last byte.
            byte[] head = (RawClient.UPGRADE.replace("\r\n\r\n", "\r\n") + "X-Slow: " + "x".repeat(1000))
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int closed = 0;
            for (int k = 0; k < head.length && closed < slow.size(); k++) {
                closed = 0;
                for (RawClient c : slow) {
                    try {
                        c.send(new byte[] {head[k]});
                    } catch (IOException e) {
                        closed++; // reset by the server
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // the attack's pace, not a wait
            }
            assertEquals(slow.size(), closed, "every slow head was cut off before it ended");
            for (RawClient c : slow) {
                c.socket().setSoTimeout(5_000);
                try {
                    assertTrue(c.readsEndOfStream(), "closed by the server");
                } catch (IOException reset) {
                    // Closed while our bytes were unread: a reset says the same.
                }
                c.close();
            }
            awaitTrue(() -> server.stats().connectionsOpen() == 0, "every slow head closed");
            assertEchoes(server, "served after the slowloris");
        }
    }

    @Test
    void churnLeavesNoConnectionsFileDescriptorsOrThreadsBehind() throws Exception {
        try (WebSocketServer server = Echo.server(); WebSocketClient client = Echo.client()) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/echo");
            assertEchoes(server, "warm-up"); // loops and their threads exist before counting
            awaitTrue(() -> server.stats().connectionsOpen() == 0, "warm-up closed");
            long fds = openFileDescriptors();
            int threads = Thread.activeCount();

            for (int i = 0; i < 200; i++) {
                if (i % 2 == 0) {
                    Recorder e = Recorder.recording();
                    Connection c = client.connect(uri, e).get(20, TimeUnit.SECONDS);
                    c.sendText("churn " + i);
                    e.expect("open", "text:churn " + i);
                    c.close().get(20, TimeUnit.SECONDS);
                } else {
                    RawClient raw = RawClient.upgraded(server.port());
                    raw.send(raw.frame(true, Opcode.TEXT, "x".getBytes()));
                    raw.close(); // gone without a close frame
                }
            }
            awaitTrue(() -> server.stats().connectionsOpen() == 0, "every connection closed");
            awaitTrue(() -> openFileDescriptors() <= fds, "file descriptors back to " + fds);
            assertEquals(0, server.stats().heldBytes());
            assertEquals(threads, Thread.activeCount());
        }
    }

    private static void assertEchoes(WebSocketServer server, String text) throws Exception {
        try (WebSocketClient client = Echo.client()) {
            Recorder events = Recorder.recording();
            Connection c = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), events)
                    .get(20, TimeUnit.SECONDS);
            c.sendText(text);
            events.expect("open", "text:" + text);
            c.close().get(20, TimeUnit.SECONDS);
            events.closeCode();
        }
    }

    /** The close code of the server's close frame, or 0 if none comes before the stream ends or stalls. */
    private static int closeCodeOrZero(RawClient c) {
        try {
            while (true) {
                Frame f = c.readFrame();
                if (f.opcode() == Opcode.CLOSE) {
                    return f.payload().getShort(0);
                }
            }
        } catch (IOException e) {
            return 0;
        }
    }

    /** A masked binary frame header declaring {@code length} bytes (mask key 0). */
    private static byte[] declaredHeader(long length) {
        byte[] h = new byte[14];
        h[0] = (byte) 0x82;
        h[1] = (byte) (0x80 | 127);
        for (int i = 0; i < 8; i++) {
            h[2 + i] = (byte) (length >>> (56 - 8 * i));
        }
        return h;
    }

    private static long openFileDescriptors() {
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            return list.count();
        } catch (IOException e) {
            throw new AssertionError("cannot count file descriptors", e);
        }
    }

    /**
     * Waits, bounded, for a condition the server reaches on its own thread with nothing to signal
     * it (bytes read, holdings given back). Checks often; fails with {@code what} after 20 s.
     */
    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not reached within 20 s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }
}
