package dev.weft.ext.deflateframe;

import dev.weft.api.Connection;
import dev.weft.api.Message;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.extension.ExtensionFactory;
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
 * A server broadcasting over real connections on 127.0.0.1 to clients of both names and to plain
 * ones. When the server compresses without context takeover, by its own choice or because the
 * clients asked, each message is compressed once per name (the recipients of one name agreed equal
 * parameters); with context takeover each recipient's own compressor does the work. Either way
 * every client reads every message, in order.
 */
class BroadcastTest {

    private static final int PER_NAME = 3;
    private static final int PLAIN = 2;
    private static final int MESSAGES = 3;

    @Test
    void aServerCompressingWithoutContextCompressesEachBroadcastOncePerName() throws Exception {
        long made = broadcastAndCountDeflaters(DeflateFrame.builder().noContextTakeover(true), DeflateFrame.builder());
        // Each name's factory lends its compressor from its pool to every broadcast of that name.
        assertEquals(2, made, "one compressor per name for " + MESSAGES + " broadcasts, shared by " + PER_NAME + " recipients");
    }

    @Test
    void clientsAskingForNoContextTakeoverGetBroadcastsCompressedOncePerName() throws Exception {
        long made = broadcastAndCountDeflaters(DeflateFrame.builder(),
                DeflateFrame.builder().requestNoContextTakeover(true));
        // Each name's factory lends its compressor from its pool to every broadcast of that name.
        assertEquals(2, made);
    }

    @Test
    void withContextTakeoverEachRecipientCompressesForItself() throws Exception {
        long made = broadcastAndCountDeflaters(DeflateFrame.builder(), DeflateFrame.builder());
        assertEquals(2 * PER_NAME, made, "one compressor per connection, kept across its messages");
    }

    /**
     * Broadcasts {@link #MESSAGES} messages from a server with {@code server} (for both names) to
     * clients with {@code client} (half of each name) and plain ones, checks every client read them
     * all, and counts the deflaters made meanwhile.
     */
    private static long broadcastAndCountDeflaters(DeflateFrame.Builder server, DeflateFrame.Builder client)
            throws Exception {
        WebSocketConfig serverConfig = WebSocketConfig.builder().extensions(server.buildForBothNames()).build();
        List<ExtensionFactory> clientFactories = client.buildForBothNames();
        WebSocketConfig plain = WebSocketConfig.builder().extensions(List.of()).build();
        List<WebSocketClient> clients = new ArrayList<>();
        try (WebSocketServer ws = WebSocketServer.builder().bind("127.0.0.1", 0).threads(2).config(serverConfig)
                .endpoint("/", () -> new WebSocketHandler() { }).build().start()) {
            for (ExtensionFactory f : clientFactories) {
                clients.add(WebSocketClient.builder().threads(1)
                        .config(WebSocketConfig.builder().extensions(List.of(f)).build()).build());
            }
            clients.add(WebSocketClient.builder().threads(1).config(plain).build());
            URI uri = URI.create("ws://127.0.0.1:" + ws.port() + "/");
            List<Inbox> inboxes = new ArrayList<>();
            for (int i = 0; i < 2 * PER_NAME + PLAIN; i++) {
                Inbox inbox = new Inbox();
                int kind = Math.min(i / PER_NAME, 2);
                Connection c = clients.get(kind).connect(uri, inbox).get(20, TimeUnit.SECONDS);
                String expected = kind < 2 ? clientFactories.get(kind).name() : "none";
                assertEquals(expected, c.extensions().isEmpty() ? "none" : c.extensions().get(0).name());
                inboxes.add(inbox);
            }

            long before = Zlib.deflatersMade();
            for (int m = 0; m < MESSAGES; m++) {
                assertEquals(2 * PER_NAME + PLAIN, ws.broadcast(Message.text(json(m))));
            }
            for (Inbox inbox : inboxes) {
                for (int m = 0; m < MESSAGES; m++) {
                    assertEquals(json(m), inbox.texts.poll(20, TimeUnit.SECONDS), "message " + m);
                }
            }
            return Zlib.deflatersMade() - before;
        } finally {
            for (WebSocketClient c : clients) {
                c.close();
            }
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
