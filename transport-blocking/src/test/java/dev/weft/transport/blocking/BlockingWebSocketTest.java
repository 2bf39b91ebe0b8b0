package dev.weft.transport.blocking;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.Frame;
import dev.weft.api.Message;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.Headers;
import dev.weft.testing.Recorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blocking calls of {@link BlockingWebSocket}, end to end over real sockets on 127.0.0.1. */
class BlockingWebSocketTest {

    private static final int KIB = 1024;

    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        // Ends before their servers, so that each server's shutdown finds its close handshakes answered.
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    @Test
    void aReceiveThatTimesOutSaysSoAndLeavesTheConnectionUsable() throws Exception {
        BlockingWebSocket ws = client(Receiving.MESSAGES).open(start(Recorder::echoing));
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> ws.receive(Duration.ofMillis(50)));
        assertTrue(e.getMessage().contains("nothing received within"), e.getMessage());
        ws.sendText("still here");
        assertEquals(Message.text("still here"), ws.receive(Duration.ofSeconds(10)));
        ws.close();
    }

    @Test
    void framesAreSentAsGivenAndReceivedOneByOneControlFramesIncluded() throws Exception {
        Recorder server = Recorder.echoing();
        BlockingWebSocket ws = client(Receiving.FRAMES).open(start(() -> server));
        // A message fragmented by hand arrives as one message at the server, which echoes it whole.
        ws.send(new Frame(false, 0, Opcode.TEXT, utf8("frag")));
        ws.send(new Frame(true, 0, Opcode.CONTINUATION, utf8("ments")));
        assertEquals("fragments", server.nextText());
        Frame echo = ws.receiveFrame();
        assertEquals(Opcode.TEXT, echo.opcode());
        assertTrue(echo.fin());
        assertEquals("fragments", text(echo.payload()));

        ws.ping(utf8("are you there"));
        Frame pong = ws.receiveFrame();
        assertEquals(Opcode.PONG, pong.opcode());
        assertEquals("are you there", text(pong.payload()));

        server.awaitOpen().close(4000, "enough");
        Frame close = ws.receiveFrame();
        assertEquals(Opcode.CLOSE, close.opcode());
        assertNull(ws.receiveFrame());
        assertEquals(4000, ws.closeCode());
        assertEquals("enough", ws.closeReason());
    }

    @Test
    void receivingFramesOnAMessageEndIsRefused() throws Exception {
        BlockingWebSocket ws = client(Receiving.MESSAGES).open(start(Recorder::echoing));
        IllegalStateException e = assertThrows(IllegalStateException.class, ws::receiveFrame);
        assertTrue(e.getMessage().contains("read in messages"), e.getMessage());
        ws.close();
    }

    @Test
    void aMessageLargerThanTheLimitIsStreamedWithoutBeingHeldWhole() throws Exception {
        byte[] big = new byte[3 * 1024 * KIB];
        new Random(1).nextBytes(big);
        String text = "ünïcödé ✓ 𝄞 ".repeat(20_000);
        Recorder server = Recorder.recording();
        URI uri = start(() -> server);
        WebSocketConfig small = WebSocketConfig.builder().maxMessageSize(64 * KIB).build();
        BlockingWebSocket ws = BlockingWebSocketClient.builder().config(small).receiving(Receiving.STREAMS).build().open(uri);
        closeAfter.add(ws);
        Connection sender = server.awaitOpen();
        sender.sendBinary(ByteBuffer.wrap(big));
        sender.sendText(text);
        sender.sendText("skipped unread");
        sender.sendText("last");

        IncomingMessage binary = ws.receiveStream();
        assertFalse(binary.isText());
        try (InputStream in = binary.inputStream()) {
            assertArrayEquals(big, in.readAllBytes());
        }
        IncomingMessage chars = ws.receiveStream();
        assertTrue(chars.isText());
        StringBuilder read = new StringBuilder();
        try (Reader reader = chars.reader()) {
            char[] buffer = new char[777];
            for (int n; (n = reader.read(buffer)) >= 0; ) {
                read.append(buffer, 0, n);
            }
        }
        assertEquals(text, read.toString());
        assertTrue(ws.receiveStream().isText()); // left unread: the next call skips it
        IncomingMessage last = ws.receiveStream();
        assertEquals("last", new String(readAll(last.reader())));
    }

    @Test
    void streamsWrittenInPiecesArriveAsOneMessageEachSurrogatePairsIntact() throws Exception {
        Recorder server = Recorder.recording();
        BlockingWebSocket ws = client(Receiving.MESSAGES).open(start(() -> server));
        byte[] bytes = new byte[100 * KIB + 7];
        new Random(2).nextBytes(bytes);
        try (OutputStream out = ws.sendBinaryStream()) {
            for (int i = 0; i < bytes.length; i += 999) {
                out.write(bytes, i, Math.min(999, bytes.length - i));
            }
        }
        assertArrayEquals(bytes, server.nextBinary());

        // 16 Ki characters fill a frame: an odd offset puts a surrogate pair across each boundary.
        String text = "x" + "😀".repeat(40_000);
        try (Writer writer = ws.sendTextStream()) {
            writer.write(text);
        }
        assertEquals(text, server.nextText());
        ws.close();
    }

    @Test
    void receiveForeverDrivesAHandlerWrittenForTheNioTransport() throws Exception {
        Recorder server = Recorder.echoing();
        BlockingWebSocket ws = client(Receiving.MESSAGES).open(start(() -> server));
        ws.sendText("before the handler");
        Recorder handler = Recorder.recording();
        Thread reader = new Thread(() -> ws.receiveForever(handler));
        reader.start();
        handler.expect("open", "text:before the handler");
        handler.awaitOpen().sendText("through the connection");
        handler.expect("text:through the connection");
        ws.close();
        handler.expect("close:1000:");
        reader.join(10_000);
        assertFalse(reader.isAlive());
    }

    @Test
    void waitingOnASendFutureInsideACallbackFailsAtOnceInsteadOfHanging() throws Exception {
        BlockingWebSocket ws = client(Receiving.MESSAGES).open(start(Recorder::echoing));
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread reader = new Thread(() -> ws.receiveForever(new WebSocketHandler() {
            @Override
            public void onText(Connection c, String text) {
                try {
                    c.sendText("again").get();
                    thrown.complete(null);
                } catch (Exception | Error e) {
                    thrown.complete(e);
                }
            }
        }));
        reader.start();
        ws.sendText("go");
        assertTrue(thrown.get(10, TimeUnit.SECONDS) instanceof IllegalStateException);
        ws.close();
        reader.join(10_000);
    }

    @Test
    void sendsFromManyThreadsArriveWholeAndUninterleaved() throws Exception {
        Recorder server = Recorder.recording();
        BlockingWebSocket ws = client(Receiving.MESSAGES).open(start(() -> server));
        int threads = 8;
        int each = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                byte fill = (byte) t;
                sent.add(pool.submit(() -> {
                    byte[] message = new byte[10 * KIB];
                    Arrays.fill(message, fill);
                    for (int i = 0; i < each; i++) {
                        ws.sendBinary(ByteBuffer.wrap(message));
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        int[] counts = new int[threads];
        for (int i = 0; i < threads * each; i++) {
            byte[] message = server.nextBinary();
            assertEquals(10 * KIB, message.length);
            for (byte b : message) {
                assertEquals(message[0], b, "one sender's bytes only in each message");
            }
            counts[message[0]]++;
        }
        int[] expected = new int[threads];
        Arrays.fill(expected, each);
        assertArrayEquals(expected, counts);
        ws.close();
    }

    @Test
    void aPeerThatStopsReadingIsAbortedAtTheWriteTimeoutWithAClearError() throws Exception {
        Recorder server = Recorder.recording();
        CountDownLatch flooding = new CountDownLatch(1);
        BlockingWebSocketServer s = BlockingWebSocketServer.builder()
                .writeTimeout(Duration.ofMillis(300))
                .endpoint("/echo", () -> server)
                .build().start();
        closeAfter.add(s);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4 * KIB);
            socket.connect(s.localAddress());
            BlockingWebSocket ws = client(Receiving.MESSAGES).open(uri(s), Headers.empty(), socket);
            Connection c = server.awaitOpen();
            Thread flood = new Thread(() -> {
                flooding.countDown();
                byte[] chunk = new byte[64 * KIB];
                while (c.isOpen()) {
                    c.sendBinary(ByteBuffer.wrap(chunk));
                }
            });
            flood.start();
            flooding.await();
            // The client never reads: the server's writes fill both socket buffers and stop moving.
            assertEquals(CloseCodes.ABNORMAL_CLOSURE, server.closeCode());
            assertTrue(server.errors().stream().anyMatch(e -> e instanceof SocketTimeoutException
                    && e.getMessage().contains("read nothing")), () -> "errors: " + server.errors());
            flood.join(10_000);
            ws.abort();
        }
    }

    @Test
    void aClientOverAStreamPairTalksLikeAnyOther() throws Exception {
        URI uri = start(Recorder::echoing);
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        BlockingWebSocket ws = client(Receiving.MESSAGES).open(uri, Headers.empty(), socket.getInputStream(),
                socket.getOutputStream(), socket);
        ws.sendText("over streams");
        assertEquals(Message.text("over streams"), ws.receive());
        assertThrows(IllegalStateException.class, () -> ws.receive(Duration.ofMillis(10)),
                "a stream pair cannot time out a read");
        ws.close();
        assertTrue(socket.isClosed());
    }

    @Test
    void aHandlerGivenToConnectRunsOnAThreadOfItsOwn() throws Exception {
        URI uri = start(Recorder::echoing);
        Recorder handler = Recorder.recording();
        Connection c = BlockingWebSocketClient.defaults().connect(uri, handler);
        c.sendText("hi");
        handler.expect("open", "text:hi");
        c.close();
        handler.expect("close:1000:");
    }

    // ------------------------------------------------------------------ helpers

    private URI start(Supplier<? extends WebSocketHandler> handlers) {
        BlockingWebSocketServer server = BlockingWebSocketServer.builder().endpoint("/echo", handlers).build().start();
        closeAfter.add(server);
        return uri(server);
    }

    private static URI uri(BlockingWebSocketServer server) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/echo");
    }

    private BlockingWebSocketClient client(Receiving receiving) {
        return BlockingWebSocketClient.builder().receiving(receiving).build();
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b).toString();
    }

    private static char[] readAll(Reader reader) throws java.io.IOException {
        StringBuilder s = new StringBuilder();
        char[] buffer = new char[64];
        for (int n; (n = reader.read(buffer)) >= 0; ) {
            s.append(buffer, 0, n);
        }
        return s.toString().toCharArray();
    }
}
