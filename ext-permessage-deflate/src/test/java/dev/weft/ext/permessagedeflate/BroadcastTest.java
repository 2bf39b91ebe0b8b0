package dev.weft.ext.permessagedeflate;

import dev.weft.api.Connection;
import dev.weft.api.Message;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.ext.zlib.Zlib;
import dev.weft.transport.nio.WebSocketClient;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server broadcasting over real connections on 127.0.0.1: with {@code server_no_context_takeover}
 * each message is compressed once for every recipient that agreed permessage-deflate; with context
 * takeover each recipient's own compressor does the work. Either way every client reads every
 * message, in order.
 */
class BroadcastTest {

    private static final int COMPRESSING = 6;
    private static final int PLAIN = 2;
    private static final int MESSAGES = 3;

    @Test
    void withoutServerContextTakeoverEachBroadcastIsCompressedOnce() throws Exception {
        long made = broadcastAndCountDeflaters(true);
        // Each broadcast borrows a compressor from the factory's pool: the first makes it, the
        // others borrow it again; no recipient makes one.
        assertEquals(1, made, "one compressor for " + MESSAGES + " broadcasts, shared by " + COMPRESSING + " recipients");
    }

    @Test
    void withServerContextTakeoverEachRecipientCompressesForItself() throws Exception {
        long made = broadcastAndCountDeflaters(false);
        assertEquals(COMPRESSING, made, "one compressor per connection, kept across its messages");
    }

    /** Broadcasts {@link #MESSAGES} messages, checks every client read them all, and counts the deflaters made meanwhile. */
    private static long broadcastAndCountDeflaters(boolean serverNoContextTakeover) throws Exception {
        PerMessageDeflate serverDeflate = PerMessageDeflate.builder().serverNoContextTakeover(serverNoContextTakeover).build();
        WebSocketConfig serverConfig = WebSocketConfig.builder().extensions(List.of(serverDeflate)).build();
        WebSocketConfig deflating = WebSocketConfig.builder().extensions(List.of(PerMessageDeflate.builder().build())).build();
        WebSocketConfig plain = WebSocketConfig.builder().extensions(List.of()).build();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(2).config(serverConfig)
                .endpoint("/", () -> new WebSocketHandler() { }).build().start();
             WebSocketClient compressingClients = WebSocketClient.builder().threads(2).config(deflating).build();
             WebSocketClient plainClients = WebSocketClient.builder().threads(1).config(plain).build()) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
            List<Inbox> inboxes = new ArrayList<>();
            for (int i = 0; i < COMPRESSING + PLAIN; i++) {
                Inbox inbox = new Inbox();
                Connection c = (i < COMPRESSING ? compressingClients : plainClients).connect(uri, inbox).get(20, TimeUnit.SECONDS);
                assertEquals(i < COMPRESSING ? 1 : 0, c.extensions().size(), c.extensions().toString());
                if (i < COMPRESSING) {
                    ExtensionParameters agreed = c.extensions().get(0);
                    assertEquals(serverNoContextTakeover, agreed.has("server_no_context_takeover"), agreed.toString());
                }
                inboxes.add(inbox);
            }

            long before = Zlib.deflatersMade();
            for (int m = 0; m < MESSAGES; m++) {
                assertEquals(COMPRESSING + PLAIN, server.broadcast(Message.text(json(m))));
            }
            for (Inbox inbox : inboxes) {
                for (int m = 0; m < MESSAGES; m++) {
                    assertEquals(json(m), inbox.texts.poll(20, TimeUnit.SECONDS), "message " + m);
                }
            }
            return Zlib.deflatersMade() - before;
        }
    }

    /** About 4 KiB of JSON-like text, different for each {@code n}. */
    private static String json(int n) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; s.length() < 4000; i++) {
            s.append("{\"id\":").append(n * 1000 + i).append(",\"name\":\"user").append(i)
                    .append("\",\"online\":").append(i % 3 == 0).append("},");
        }
        return s.append("{}]").toString();
    }

    /** Collects the texts a client reads; thread-safe, as the client's loop fills it. */
    private static final class Inbox implements WebSocketHandler {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

        @Override
        public void onText(Connection connection, String text) {
            texts.add(text);
        }
    }
}
