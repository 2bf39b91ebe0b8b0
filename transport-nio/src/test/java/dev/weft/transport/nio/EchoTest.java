package dev.weft.transport.nio;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;
import dev.weft.testing.Recorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Messages through a real server and client on loopback. */
class EchoTest {

    private static WebSocketServer server;
    private static WebSocketClient client;
    private static URI echo;

    @BeforeAll
    static void start() {
        server = Echo.server();
        client = Echo.client();
        echo = URI.create("ws://127.0.0.1:" + server.port() + "/echo");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 1 << 20, 16 << 20})
    void binaryMessagesEchoByteExact(int size) throws Exception {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);
        CompletableFuture<ByteBuffer> got = new CompletableFuture<>();
        Connection c = client.connect(echo, new WebSocketHandler() {
            @Override
            public void onBinary(Connection c, ByteBuffer data) {
                got.complete(data);
            }
        }).get(20, TimeUnit.SECONDS);
        c.sendBinary(ByteBuffer.wrap(payload));
        assertEquals(ByteBuffer.wrap(payload), got.get(60, TimeUnit.SECONDS));
        c.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 65536, 1 << 20, 16 << 20})
    void textMessagesEchoExactly(int size) throws Exception {
        // Code points of one to four UTF-8 bytes, in a random mix.
        int[] alphabet = "aé€🌍".codePoints().toArray();
        StringBuilder sb = new StringBuilder(size);
        Random random = new Random(size);
        while (sb.length() < size) {
            sb.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
        }
        String text = sb.toString();
        CompletableFuture<String> got = new CompletableFuture<>();
        Connection c = client.connect(echo, new WebSocketHandler() {
            @Override
            public void onText(Connection c, String t) {
                got.complete(t);
            }
        }).get(20, TimeUnit.SECONDS);
        c.sendText(text);
        assertEquals(text, got.get(60, TimeUnit.SECONDS));
        c.close();
    }

    @Test
    void aMessageStreamedInPartsArrivesWhole() throws Exception {
        Recorder events = Recorder.recording();
        Connection c = client.connect(echo, events).get(20, TimeUnit.SECONDS);
        for (int i = 0; i < 100; i++) {
            c.sendText("part" + i + ",", false);
        }
        c.sendText("end", true);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            expected.append("part").append(i).append(',');
        }
        events.await("open");
        assertEquals("text:" + expected + "end", events.next());
        c.close();
    }

    @Test
    void aThousandConcurrentClientsExchangeMessages() throws Exception {
        int clients = 1000;
        int messages = 5;
        List<CompletableFuture<List<String>>> done = new ArrayList<>();
        List<CompletableFuture<Connection>> connecting = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            CompletableFuture<List<String>> received = new CompletableFuture<>();
            List<String> got = new ArrayList<>();
            done.add(received);
            connecting.add(client.connect(echo, new WebSocketHandler() {
                @Override
                public void onText(Connection c, String text) {
                    got.add(text);
                    if (got.size() == messages) {
                        received.complete(got);
                        c.close();
                    }
                }
            }));
        }
        for (int i = 0; i < clients; i++) {
            Connection c = connecting.get(i).get(60, TimeUnit.SECONDS);
            for (int m = 0; m < messages; m++) {
                c.sendText("client " + i + " message " + m);
            }
        }
        for (int i = 0; i < clients; i++) {
            List<String> expected = new ArrayList<>();
            for (int m = 0; m < messages; m++) {
                expected.add("client " + i + " message " + m);
            }
            assertEquals(expected, done.get(i).get(60, TimeUnit.SECONDS), "client " + i);
        }
        assertTrue(server.stats().messagesIn() >= (long) clients * messages);
    }
}
