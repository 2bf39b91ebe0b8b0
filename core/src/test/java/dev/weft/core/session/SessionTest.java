package dev.weft.core.session;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.Frame;
import dev.weft.api.FrameObserver;
import dev.weft.api.Opcode;
import dev.weft.api.PartialMessageHandler;
import dev.weft.api.WebSocketConfig;
import dev.weft.testing.InMemoryPair;
import dev.weft.testing.Recorder;
import dev.weft.testing.ScriptedPeer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session state machine, through the in-memory transport. */
class SessionTest {

    private static final WebSocketConfig PLAIN = WebSocketConfig.builder().extensions(List.of()).build();

    @Test
    void messagesEchoByteExactBothWays() {
        Recorder server = Recorder.echoing();
        Recorder client = Recorder.recording();
        InMemoryPair pair = InMemoryPair.builder().config(PLAIN).connect(server, client);
        server.assertEvents("open");
        client.assertEvents("open");

        pair.client().sendText("héllo 🌍");
        pair.client().sendBinary(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xff}));
        pair.client().sendText("");
        pair.flush();
        client.assertEvents("text:héllo 🌍", "binary:000102ff", "text:");
        server.assertEvents("text:héllo 🌍", "binary:000102ff", "text:");
    }

    @Test
    void largeMessagesRoundTrip() {
        Recorder server = Recorder.echoing();
        List<ByteBuffer> got = new ArrayList<>();
        InMemoryPair pair = InMemoryPair.builder().config(PLAIN).connect(server, new Recorder(false) {
            @Override
            public void onBinary(Connection c, ByteBuffer data) {
                got.add(data);
            }
        });
        byte[] big = new byte[3 << 20];
        new Random(5).nextBytes(big);
        pair.client().sendBinary(ByteBuffer.wrap(big));
        pair.flush();
        assertEquals(List.of(ByteBuffer.wrap(big)), got);
    }

    @Test
    void clientInitiatedCloseCompletesOnBothSidesAndTheServerClosesTcpFirst() {
        Recorder server = Recorder.recording();
        Recorder client = Recorder.recording();
        InMemoryPair pair = InMemoryPair.builder().config(PLAIN).connect(server, client);
        server.take();
        client.take();

        CompletableFuture<Void> written = pair.client().close(CloseCodes.NORMAL_CLOSURE, "bye");
        assertEquals(ConnectionState.CLOSING, pair.client().state());
        pair.flush();
        assertTrue(written.isDone());
        server.assertEvents("close:1000:bye");
        client.assertEvents("close:1000:");
        assertEquals(ConnectionState.CLOSED, pair.server().state());
        assertEquals(ConnectionState.CLOSED, pair.client().state());
        assertTrue(pair.serverTransportClosed());
        assertTrue(pair.clientTransportClosed(), "the client closes once the server has");
        assertEquals(0, pair.activeTimers(), "no timer left behind");
    }

    @Test
    void serverInitiatedCloseIsEchoed() {
        Recorder server = Recorder.recording();
        Recorder client = Recorder.recording();
        InMemoryPair pair = InMemoryPair.builder().config(PLAIN).connect(server, client);
        server.take();
        client.take();
        pair.server().close(4001, "policy");
        pair.flush();
        client.assertEvents("close:4001:policy");
        server.assertEvents("close:4001:");
    }

    @Test
    void closeIsIdempotentAndSendsAfterItFail() {
        ScriptedPeer peer = ScriptedPeer.client(Recorder.recording(), PLAIN);
        Connection c = peer.connection();
        c.close(1000, "");
        c.close(1001, "again");
        peer.flush();
        List<Frame> frames = peer.takeFrames();
        assertEquals(1, frames.size(), "one close frame only: " + frames);
        ExecutionException e = assertThrows(ExecutionException.class, () -> c.sendText("late").get());
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void closeArgumentsAreChecked() {
        ScriptedPeer peer = ScriptedPeer.client(Recorder.recording(), PLAIN);
        Connection c = peer.connection();
        assertThrows(IllegalArgumentException.class, () -> c.close(1005, ""));
        assertThrows(IllegalArgumentException.class, () -> c.close(999, ""));
        assertThrows(IllegalArgumentException.class, () -> c.close(1000, "x".repeat(124)));
        c.close(1000, "é".repeat(61)); // 122 bytes fits
    }

    @Test
    void anUnansweredCloseTimesOutWith1006() {
        Recorder handler = Recorder.recording();
        WebSocketConfig config = PLAIN.toBuilder().closeTimeout(Duration.ofSeconds(3)).build();
        ScriptedPeer peer = ScriptedPeer.client(handler, config);
        handler.take();
        peer.connection().close();
        peer.advance(Duration.ofMillis(2999));
        assertEquals(ConnectionState.CLOSING, peer.connection().state());
        handler.assertEvents();
        peer.advance(Duration.ofMillis(1));
        handler.assertEvents("close:1006:no close frame within the close timeout");
        assertTrue(peer.sessionClosedTransport());
    }

    @Test
    void theIdleTimeoutAbortsASilentPeerAndTrafficPostponesIt() {
        Recorder handler = Recorder.recording();
        WebSocketConfig config = PLAIN.toBuilder().idleTimeout(Duration.ofSeconds(30)).build();
        ScriptedPeer peer = ScriptedPeer.client(handler, config);
        handler.take();
        peer.advance(Duration.ofSeconds(20));
        peer.sendFrame(true, 0, Opcode.PONG, new byte[0]).flush();
        peer.advance(Duration.ofSeconds(20));
        assertEquals(ConnectionState.OPEN, peer.connection().state(), "the pong reset the idle clock");
        handler.assertEvents("pong:");
        peer.advance(Duration.ofSeconds(10));
        handler.assertEvents("close:1006:idle timeout");
        assertTrue(peer.sessionClosedTransport());
    }

    @Test
    void keepAlivePingsAreSentAtTheInterval() {
        WebSocketConfig config = PLAIN.toBuilder().keepAliveInterval(Duration.ofSeconds(15)).build();
        ScriptedPeer peer = ScriptedPeer.client(Recorder.recording(), config);
        peer.advance(Duration.ofSeconds(14));
        assertEquals(List.of(), peer.takeFrames());
        peer.advance(Duration.ofSeconds(1));
        assertEquals(List.of(Frame.ping(null)), peer.takeFrames());
        peer.advance(Duration.ofSeconds(30));
        assertEquals(2, peer.takeFrames().size());
    }

    @Test
    void theEndOfInputWithoutACloseFrameReports1006() {
        Recorder handler = Recorder.recording();
        ScriptedPeer peer = ScriptedPeer.client(handler, PLAIN);
        handler.take();
        peer.endOutput().flush();
        handler.assertEvents("close:1006:the connection ended without a close frame");
        assertTrue(peer.sessionClosedTransport());
    }

    @Test
    void abortClosesAtOnceWith1006() {
        Recorder handler = Recorder.recording();
        ScriptedPeer peer = ScriptedPeer.client(handler, PLAIN);
        handler.take();
        peer.connection().abort();
        peer.connection().abort();
        peer.flush();
        handler.assertEvents("close:1006:aborted");
        assertEquals(List.of(), peer.takeFrames(), "no close frame on abort");
        assertTrue(peer.sessionClosedTransport());
    }

    @Test
    void aPingFloodLeavesAtMostOneAutomaticPongPending() {
        Recorder handler = Recorder.recording();
        ScriptedPeer peer = ScriptedPeer.client(handler, PLAIN);
        for (int i = 0; i < 10_000; i++) {
            peer.sendFrame(true, 0, Opcode.PING, Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
        }
        peer.flush();
        List<Frame> pongs = peer.takeFrames();
        // The first ping is answered at once; while that pong is in flight, later pings only
        // replace the one waiting, so the flood costs two pongs, the second for the latest ping.
        assertEquals(List.of(Frame.pong(ByteBuffer.wrap(ascii("0"))), Frame.pong(ByteBuffer.wrap(ascii("9999")))), pongs);
        assertEquals(10_000 + 1, handler.take().size(), "every ping still reaches the handler");
    }

    @Test
    void autoPongCanBeSwitchedOff() {
        ScriptedPeer peer = ScriptedPeer.client(Recorder.recording(), PLAIN.toBuilder().autoPong(false).build());
        peer.sendFrame(true, 0, Opcode.PING, ascii("x")).flush();
        assertEquals(List.of(), peer.takeFrames());
        peer.connection().pong(ByteBuffer.wrap(ascii("x")));
        peer.flush();
        assertEquals(List.of(Frame.pong(ByteBuffer.wrap(ascii("x")))), peer.takeFrames());
    }

    @Test
    void sendsFromAnotherThreadRunOnTheLoopInOrder() throws Exception {
        Recorder server = Recorder.recording();
        InMemoryPair pair = InMemoryPair.builder().config(PLAIN).connect(server, Recorder.recording());
        server.take();
        Connection client = pair.client();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        Thread sender = new Thread(() -> {
            for (int i = 0; i < 100; i++) {
                futures.add(client.sendText("m" + i));
            }
        });
        sender.start();
        sender.join();
        assertTrue(futures.stream().noneMatch(CompletableFuture::isDone), "nothing was written off the loop thread");
        pair.flush();
        assertTrue(futures.stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally()));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add("text:m" + i);
        }
        assertEquals(expected, server.take());
    }

    @Test
    void aThrowingHandlerClosesWith1011AndIsToldOnce() {
        Recorder handler = new Recorder(false) {
            @Override
            public void onText(Connection c, String text) {
                super.onText(c, text);
                throw new IllegalStateException("boom");
            }
        };
        ScriptedPeer peer = ScriptedPeer.client(handler, PLAIN);
        handler.take();
        peer.sendFrame(true, 0, Opcode.TEXT, ascii("a")).sendFrame(true, 0, Opcode.TEXT, ascii("b")).flush();
        handler.assertEvents("text:a", "error:IllegalStateException", "close:1011:internal error");
        assertEquals(1011, peer.closeCode());
        assertTrue(peer.sessionClosedTransport());
    }

    @Test
    void partialHandlerGetsPartsThatEndOnWholeCodePoints() {
        List<String> parts = new ArrayList<>();
        PartialMessageHandler handler = new PartialMessageHandler() {
            @Override
            public void onTextPart(Connection c, String part, boolean last) {
                parts.add(part + (last ? "|last" : ""));
            }

            @Override
            public void onBinaryPart(Connection c, ByteBuffer part, boolean last) {
                parts.add(part.remaining() + "b" + (last ? "|last" : ""));
            }
        };
        ScriptedPeer peer = ScriptedPeer.client(handler, PLAIN);
        byte[] emoji = "a🌍b".getBytes(StandardCharsets.UTF_8); // 61 F0 9F 8C 8D 62
        // The four bytes of the emoji are split across two fragments.
        peer.sendFrame(false, 0, Opcode.TEXT, java.util.Arrays.copyOfRange(emoji, 0, 3));
        peer.sendFrame(false, 0, Opcode.CONTINUATION, java.util.Arrays.copyOfRange(emoji, 3, 6));
        peer.sendFrame(true, 0, Opcode.CONTINUATION, new byte[0]);
        peer.sendFrame(false, 0, Opcode.BINARY, new byte[3]);
        peer.sendFrame(true, 0, Opcode.CONTINUATION, new byte[2]);
        peer.flush();
        assertEquals(List.of("a", "🌍b", "|last", "3b", "2b|last"), parts);
    }

    @Test
    void aPartialTextThatEndsInsideACodePointFailsWith1007() {
        PartialMessageHandler handler = new PartialMessageHandler() {
            @Override
            public void onTextPart(Connection c, String part, boolean last) {
            }

            @Override
            public void onBinaryPart(Connection c, ByteBuffer part, boolean last) {
            }
        };
        ScriptedPeer peer = ScriptedPeer.client(handler, PLAIN);
        peer.sendFrame(false, 0, Opcode.TEXT, new byte[] {'a', (byte) 0xF0, (byte) 0x9F});
        peer.sendFrame(true, 0, Opcode.CONTINUATION, new byte[] {(byte) 0x8C}).flush();
        assertEquals(1007, peer.closeCode());
    }

    @Test
    void aStreamedMessageGoesOutAsFragmentsAndBlocksOtherMessagesUntilItEnds() throws Exception {
        ScriptedPeer peer = ScriptedPeer.client(Recorder.recording(), PLAIN);
        Connection c = peer.connection();
        c.sendText("Hel", false);
        CompletableFuture<Void> interleaved = c.sendBinary(ByteBuffer.allocate(1));
        c.ping(ByteBuffer.wrap(ascii("p")));
        c.sendText("lo", true);
        c.sendBinary(ByteBuffer.wrap(new byte[] {1}), true);
        peer.flush();
        ExecutionException e = assertThrows(ExecutionException.class, interleaved::get);
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(List.of(
                new Frame(false, 0, Opcode.TEXT, ByteBuffer.wrap(ascii("Hel"))),
                Frame.ping(ByteBuffer.wrap(ascii("p"))),
                new Frame(true, 0, Opcode.CONTINUATION, ByteBuffer.wrap(ascii("lo"))),
                new Frame(true, 0, Opcode.BINARY, ByteBuffer.wrap(new byte[] {1}))), peer.takeFrames());
        assertThrows(ExecutionException.class, () -> c.sendText("\uD83C", false).get(), "a part may not end on a high surrogate");
    }

    @Test
    void customFramesGoOutAsBuiltAndControlFramesAreChecked() throws Exception {
        ScriptedPeer peer = ScriptedPeer.client(Recorder.recording(), PLAIN);
        Connection c = peer.connection();
        Frame custom = new Frame(true, Frame.RSV2 | Frame.RSV3, Opcode.BINARY, ByteBuffer.wrap(new byte[] {9}));
        c.sendFrame(custom);
        peer.flush();
        assertEquals(List.of(custom), peer.takeFrames());
        assertThrows(ExecutionException.class, () -> c.ping(ByteBuffer.allocate(126)).get());
        assertThrows(ExecutionException.class,
                () -> c.sendFrame(new Frame(false, 0, Opcode.PING, null)).get());
    }

    @Test
    void aFrameObserverSeesEveryFrameBeforeItsMessage() {
        List<String> seen = new ArrayList<>();
        class Observing extends Recorder implements FrameObserver {
            Observing() {
                super(false);
            }

            @Override
            public void onFrame(Connection c, Frame f) {
                record("frame:" + f.opcode() + (f.fin() ? "" : "+"));
            }
        }
        Observing handler = new Observing();
        ScriptedPeer peer = ScriptedPeer.client(handler, PLAIN);
        handler.take();
        peer.sendFrame(false, 0, Opcode.TEXT, ascii("a"))
                .sendFrame(true, 0, Opcode.PING, ascii("p"))
                .sendFrame(true, 0, Opcode.CONTINUATION, ascii("b")).flush();
        handler.assertEvents("frame:TEXT+", "frame:PING", "ping:p", "frame:CONTINUATION", "text:ab");
        assertTrue(seen.isEmpty());
    }

    @Test
    void framesInTheSameReadAsTheHandshakeAreNotLost() {
        Recorder handler = Recorder.echoing();
        ScriptedPeer peer = ScriptedPeer.rawClient(handler, PLAIN);
        peer.sendRaw(concat(("GET /chat HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                ScriptedPeer.hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"))).flush();
        assertEquals(101, peer.takeResponse().status());
        handler.assertEvents("open", "text:Hello");
        assertEquals(List.of(Frame.text("Hello")), peer.takeFrames());
    }

    @Test
    void eachEventIsDeliveredExactlyOnceWhateverTheOrderOfEndings() {
        Recorder handler = Recorder.recording();
        ScriptedPeer peer = ScriptedPeer.client(handler, PLAIN);
        peer.sendHex("81 85 37 fa 21 3d 7f 9f 4d 51 58");
        peer.sendClose(1000, "");
        peer.sendFrame(true, 0, Opcode.TEXT, ascii("after close")); // ignored
        peer.endOutput();
        peer.flush();
        peer.connection().abort();
        peer.connection().close();
        peer.flush();
        handler.assertEvents("open", "text:Hello", "close:1000:");
        assertEquals(List.of(new Frame(true, 0, Opcode.CLOSE, ByteBuffer.wrap(new byte[] {0x03, (byte) 0xe8}))),
                peer.takeFrames());
        assertFalse(peer.connection().isOpen());
    }

    @Test
    void pausedReadingHoldsInputUntilResumed() {
        Recorder server = Recorder.recording();
        InMemoryPair pair = InMemoryPair.builder().config(PLAIN).connect(server, Recorder.recording());
        server.take();
        pair.server().pauseReading();
        pair.client().sendText("held");
        pair.flush();
        server.assertEvents();
        pair.server().resumeReading();
        pair.flush();
        server.assertEvents("text:held");
    }

    @Test
    void preEncodedFramesGoOutAsTheyAreAndOnlyFromServers() throws Exception {
        Recorder client = Recorder.recording();
        InMemoryPair pair = InMemoryPair.builder().config(PLAIN).connect(Recorder.recording(), client);
        client.take();
        Broadcast.Recipient server = (Broadcast.Recipient) pair.server();
        assertTrue(server.acceptsEncodedFrames());
        CompletableFuture<Void> written = server.sendEncoded(ByteBuffer.wrap(ScriptedPeer.hex("81 05 48 65 6c 6c 6f")));
        pair.flush();
        assertTrue(written.isDone() && !written.isCompletedExceptionally());
        client.assertEvents("text:Hello");
        assertThrows(ExecutionException.class, () -> ((Broadcast.Recipient) pair.client()).sendEncoded(ByteBuffer.allocate(2)).get());
    }

    @Test
    void callbacksCanRunOnAnExecutorInOrderAndAThrowStillCloses1011() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
            Recorder handler = new Recorder(false) {
                @Override
                public void onText(Connection c, String text) {
                    threads.add(Thread.currentThread().getName());
                    super.onText(c, text);
                    if (text.equals("boom")) {
                        throw new IllegalStateException("on the executor");
                    }
                }

                @Override
                public void onClose(Connection c, int code, String reason) {
                    super.onClose(c, code, reason);
                    done.countDown();
                }
            };
            ScriptedPeer peer = ScriptedPeer.client(handler, PLAIN, pool);
            Thread loop = Thread.currentThread();
            for (int i = 0; i < 50; i++) {
                peer.sendFrame(true, 0, Opcode.TEXT, ascii("m" + i));
            }
            peer.sendFrame(true, 0, Opcode.TEXT, ascii("boom")).flush();
            // The failure is handed back to the loop thread; pump until the close arrives.
            while (!done.await(10, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                peer.flush();
            }
            List<String> events = handler.take();
            assertEquals("open", events.get(0));
            for (int i = 0; i < 50; i++) {
                assertEquals("text:m" + i, events.get(i + 1), "order kept");
            }
            assertEquals(List.of("text:boom", "error:IllegalStateException", "close:1011:internal error"),
                    events.subList(51, events.size()));
            assertTrue(threads.stream().noneMatch(n -> n.equals(loop.getName())), "no callback on the loop thread");
            assertEquals(1011, peer.closeCode());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void attributesCarryWhatInterceptorsLearntAndAreOneMapPerConnection() {
        InMemoryPair pair = InMemoryPair.builder().config(PLAIN)
                .interceptors(List.of((request, decision) -> decision.attributes().put("user", "ada")))
                .connect(Recorder.recording(), Recorder.recording());
        assertEquals("ada", pair.server().attributes().get("user"));
        assertTrue(pair.client().attributes().isEmpty());
        pair.client().attributes().put("k", 1);
        assertEquals(1, pair.client().attributes().get("k"), "the same map on every call");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
