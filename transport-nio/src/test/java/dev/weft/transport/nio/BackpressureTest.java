package dev.weft.transport.nio;

import dev.weft.testing.RawClient;
import java.util.Optional;
import dev.weft.testing.Recorder;
import dev.weft.api.Connection;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A peer that reads slowly or not at all can never make the server's memory grow without bound. */
class BackpressureTest {

    private static final int CHUNK = 64 * 1024;
    private static final long MAX_QUEUED = 1 << 20;

    /** Sends 64 KiB messages from onOpen until a send is refused; records the largest queue seen. */
    static final class Flooder implements WebSocketHandler {
        final AtomicLong maxQueued = new AtomicLong();
        final CompletableFuture<Throwable> refused = new CompletableFuture<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public void onOpen(Connection c) {
            for (int i = 0; i < 1000 && !refused.isDone(); i++) {
                CompletableFuture<Void> sent = c.sendBinary(ByteBuffer.allocate(CHUNK));
                maxQueued.accumulateAndGet(c.queuedBytes(), Math::max);
                sent.whenComplete((ok, error) -> {
                    if (error != null) {
                        refused.complete(error);
                    }
                });
            }
        }

        @Override
        public void onClose(Connection c, int code, String reason) {
            closed.complete(code);
        }
    }

    private static WebSocketServer flooding(Flooder flooder, OverflowPolicy policy) {
        return WebSocketServer.builder().bind("127.0.0.1", 0).threads(1)
                .config(Echo.CONFIG.toBuilder().closeTimeout(Duration.ofMillis(500)).build())
                .transport(TransportConfig.builder().watermarks(64 * 1024, 256 * 1024).maxQueuedBytes(MAX_QUEUED)
                        .overflowPolicy(policy).build())
                .endpoint("/echo", () -> flooder).build().start();
    }

    @Test
    @SuppressWarnings("try") // the raw client is held open and never read: that is the test
    void aReaderThatStopsReadingGetsClosedAndTheQueueStaysUnderTheLimit() throws Exception {
        Flooder flooder = new Flooder();
        try (WebSocketServer server = flooding(flooder, OverflowPolicy.CLOSE);
             RawClient raw = RawClient.upgraded(server.port())) {
            // The client reads nothing. The policy closes with 1008; the close frame cannot get
            // through either, so the close timeout aborts the connection.
            Throwable refusal = flooder.refused.get(20, TimeUnit.SECONDS);
            assertInstanceOf(IOException.class, refusal);
            assertTrue(refusal.getMessage().contains("over its limit"), refusal.getMessage());
            assertEquals(1006, flooder.closed.get(20, TimeUnit.SECONDS));
            assertTrue(flooder.maxQueued.get() <= MAX_QUEUED + CHUNK + 14, "queue peaked at " + flooder.maxQueued.get());
            assertEquals(0, server.stats().connectionsOpen());
        }
    }

    @Test
    @SuppressWarnings("try") // the raw client is held open and never read: that is the test
    void theAbortPolicyDropsTheConnectionAtOnce() throws Exception {
        Flooder flooder = new Flooder();
        try (WebSocketServer server = flooding(flooder, OverflowPolicy.ABORT);
             RawClient raw = RawClient.upgraded(server.port())) {
            assertEquals(1006, flooder.closed.get(20, TimeUnit.SECONDS));
            assertTrue(flooder.maxQueued.get() <= MAX_QUEUED + CHUNK + 14, "queue peaked at " + flooder.maxQueued.get());
        }
    }

    @Test
    void aFastSenderThatReadsSlowlyIsSlowedDownAndLosesNothing() throws Exception {
        AtomicLong maxQueued = new AtomicLong();
        CountDownLatch notWritable = new CountDownLatch(1);
        CountDownLatch writableAgain = new CountDownLatch(1);
        WebSocketHandler echo = new WebSocketHandler() {
            @Override
            public void onBinary(Connection c, ByteBuffer data) {
                c.sendBinary(data);
                maxQueued.accumulateAndGet(c.queuedBytes(), Math::max);
                if (!c.isWritable()) {
                    notWritable.countDown();
                }
            }

            @Override
            public void onWritable(Connection c) {
                writableAgain.countDown();
            }
        };
        int messages = 320; // 20 MiB
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(Echo.CONFIG)
                .transport(TransportConfig.builder().watermarks(64 * 1024, 256 * 1024).maxQueuedBytes(8 << 20).build())
                .endpoint("/echo", () -> echo).build().start();
             RawClient raw = RawClient.upgraded(server.port())) {
            byte[] frame = raw.frame(true, Opcode.BINARY, new byte[CHUNK]);
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < messages; i++) {
                        raw.send(frame);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.start();
            // Nothing is read until the server's queue has passed its high watermark.
            assertTrue(notWritable.await(20, TimeUnit.SECONDS));
            for (int i = 0; i < messages; i++) {
                Frame echoed = raw.readFrame();
                assertEquals(CHUNK, echoed.payloadLength(), "message " + i);
            }
            sender.join(20_000);
            assertTrue(writableAgain.await(20, TimeUnit.SECONDS), "onWritable once the queue drained");
            // Reads paused above the high watermark, so the queue never held more than that plus
            // what one read can bring in.
            assertTrue(maxQueued.get() <= 256 * 1024 + 2 * 64 * 1024 + 4 * CHUNK, "queue peaked at " + maxQueued.get());
        }
    }

    @Test
    void pausedReadingStopsMessagesUntilResumed() throws Exception {
        // Paused from onOpen, on the loop thread, before any frame is read: deterministic.
        Recorder events = new Recorder(false) {
            @Override
            public void onOpen(Connection c) {
                c.pauseReading();
                super.onOpen(c);
            }
        };
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(Echo.CONFIG)
                .endpoint("/echo", () -> events).build().start();
             WebSocketClient client = Echo.client()) {
            Connection c = client.connect(java.net.URI.create("ws://127.0.0.1:" + server.port() + "/echo"),
                    new WebSocketHandler() { }).get(20, TimeUnit.SECONDS);
            Connection serverSide = events.awaitOpen();
            events.expect("open");
            c.sendText("one");
            c.sendText("two");
            c.sendText("three").get(20, TimeUnit.SECONDS);
            assertEquals(Optional.empty(), events.poll(Duration.ZERO), "nothing delivered while paused");
            serverSide.resumeReading();
            events.expect("text:one", "text:two", "text:three");
            c.close();
        }
    }

    @Test
    void sendsFailOnceTheConnectionIsClosed() throws Exception {
        try (WebSocketServer server = Echo.server(); WebSocketClient client = Echo.client()) {
            Recorder events = Recorder.recording();
            Connection c = client.connect(java.net.URI.create("ws://127.0.0.1:" + server.port() + "/echo"), events)
                    .get(20, TimeUnit.SECONDS);
            c.close();
            events.closeCode();
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> c.sendText("late").get(20, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
        }
    }
}
