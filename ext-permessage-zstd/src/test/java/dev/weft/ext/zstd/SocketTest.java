package dev.weft.ext.zstd;

import dev.weft.api.Connection;
import dev.weft.api.Message;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.transport.nio.WebSocketClient;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.weft.ext.zstd.NegotiationTest.element;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Weft client and a Weft server over real sockets on 127.0.0.1 (transport-nio), with and
 * without context takeover each way, and a server broadcasting to clients that agreed
 * permessage-zstd and clients that did not.
 */
class SocketTest {

    private static final long WAIT = 20;

    @ParameterizedTest(name = "client_no_context_takeover={0} server_no_context_takeover={1}")
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void messagesOfEverySizeComeBackThroughAnEchoServer(boolean clientResets, boolean serverResets) throws Exception {
        WebSocketConfig serverConfig = WebSocketConfig.builder().extensions(List.of(
                PerMessageZstd.builder().serverNoContextTakeover(serverResets).build())).build();
        WebSocketConfig clientConfig = WebSocketConfig.builder().extensions(List.of(
                PerMessageZstd.builder().clientNoContextTakeover(clientResets).build())).build();
        int liveBefore = NativeContexts.live();
        CompletableFuture<Integer> serverClosed = new CompletableFuture<>();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(serverConfig)
                .endpoint("/echo", () -> new EchoUntilClosed(serverClosed)).build().start();
             WebSocketClient client = WebSocketClient.builder().threads(1).config(clientConfig).build()) {
            Inbox inbox = new Inbox();
            Connection c = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), inbox)
                    .get(WAIT, TimeUnit.SECONDS);
            String agreed = "permessage-zstd" + (serverResets ? "; server_no_context_takeover" : "")
                    + (clientResets ? "; client_no_context_takeover" : "");
            assertEquals(List.of(element(agreed)), c.extensions());

            Random random = new Random(42);
            List<Object> sent = new ArrayList<>();
            for (int size : new int[] {0, 1, 125, 126, 65_535, 65_536, 1 << 20, random.nextInt(200_000)}) {
                String text = WireTest.json(size).repeat(size / 2000 + 1).substring(0, size);
                byte[] binary = new byte[size];
                random.nextBytes(binary);
                c.sendText(text);
                c.sendBinary(ByteBuffer.wrap(binary));
                c.sendText(text.substring(0, size / 2), false);
                c.sendText(text.substring(size / 2), true);
                sent.addAll(List.of(text, binary, text));
            }
            for (Object expected : sent) {
                Object echoed = inbox.messages.poll(WAIT, TimeUnit.SECONDS);
                if (expected instanceof byte[] b) {
                    assertArrayEquals(b, (byte[]) echoed);
                } else {
                    assertEquals(expected, echoed);
                }
            }
            assertEquals(liveBefore + 4, NativeContexts.live(), "a compressor and a decompressor at each end");

            c.close().get(WAIT, TimeUnit.SECONDS);
            assertEquals(1000, inbox.closed.get(WAIT, TimeUnit.SECONDS));
            assertEquals(1000, serverClosed.get(WAIT, TimeUnit.SECONDS));
            // Each end frees its contexts before it reports the close.
            assertEquals(liveBefore, NativeContexts.live());
        }
    }

    private static final int ZSTD_CLIENTS = 6;
    private static final int PLAIN_CLIENTS = 2;
    private static final int BROADCASTS = 3;

    @Test
    void withoutServerContextTakeoverEachBroadcastIsCompressedOnce() throws Exception {
        assertEquals(BROADCASTS, broadcastAndCountCompressors(true), "one compressor per broadcast, shared");
    }

    @Test
    void withServerContextTakeoverEachRecipientCompressesForItself() throws Exception {
        assertEquals(ZSTD_CLIENTS, broadcastAndCountCompressors(false), "one compressor per connection");
    }

    /** Broadcasts, checks every client read every message in order, and counts the compressors made meanwhile. */
    private static long broadcastAndCountCompressors(boolean serverNoContextTakeover) throws Exception {
        WebSocketConfig serverConfig = WebSocketConfig.builder().extensions(List.of(
                PerMessageZstd.builder().serverNoContextTakeover(serverNoContextTakeover).build())).build();
        WebSocketConfig zstd = WebSocketConfig.builder().extensions(List.of(new PerMessageZstd())).build();
        WebSocketConfig plain = WebSocketConfig.builder().extensions(List.of()).build();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(2).config(serverConfig)
                .endpoint("/", () -> new WebSocketHandler() { }).build().start();
             WebSocketClient zstdClients = WebSocketClient.builder().threads(2).config(zstd).build();
             WebSocketClient plainClients = WebSocketClient.builder().threads(1).config(plain).build()) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
            List<Inbox> inboxes = new ArrayList<>();
            for (int i = 0; i < ZSTD_CLIENTS + PLAIN_CLIENTS; i++) {
                Inbox inbox = new Inbox();
                Connection c = (i < ZSTD_CLIENTS ? zstdClients : plainClients).connect(uri, inbox)
                        .get(WAIT, TimeUnit.SECONDS);
                List<ExtensionParameters> expected = i < ZSTD_CLIENTS
                        ? List.of(element("permessage-zstd" + (serverNoContextTakeover ? "; server_no_context_takeover" : "")))
                        : List.of();
                assertEquals(expected, c.extensions());
                inboxes.add(inbox);
            }
            long before = NativeContexts.compressorsMade();
            for (int m = 0; m < BROADCASTS; m++) {
                assertEquals(ZSTD_CLIENTS + PLAIN_CLIENTS, server.broadcast(Message.text(WireTest.json(m))));
            }
            for (Inbox inbox : inboxes) {
                for (int m = 0; m < BROADCASTS; m++) {
                    assertEquals(WireTest.json(m), inbox.messages.poll(WAIT, TimeUnit.SECONDS), "message " + m);
                }
            }
            return NativeContexts.compressorsMade() - before;
        }
    }

    /** Collects what a client reads; thread-safe, as the client's loop fills it. */
    private static final class Inbox implements WebSocketHandler {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public void onText(Connection connection, String text) {
            messages.add(text);
        }

        @Override
        public void onBinary(Connection connection, ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            messages.add(b);
        }

        @Override
        public void onClose(Connection connection, int code, String reason) {
            closed.complete(code);
        }
    }

    /** Echoes every message and reports its close code. */
    private static final class EchoUntilClosed implements WebSocketHandler {
        private final CompletableFuture<Integer> closed;

        EchoUntilClosed(CompletableFuture<Integer> closed) {
            this.closed = closed;
        }

        @Override
        public void onText(Connection connection, String text) {
            connection.sendText(text);
        }

        @Override
        public void onBinary(Connection connection, ByteBuffer data) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
            connection.sendBinary(copy);
        }

        @Override
        public void onClose(Connection connection, int code, String reason) {
            closed.complete(code);
        }
    }
}
