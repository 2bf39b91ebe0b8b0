package dev.weft.transport.nio;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest {

    @Test
    void echoesOverLoopback() throws Exception {
        WebSocketConfig plain = WebSocketConfig.builder().extensions(List.of()).build();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(2).config(plain)
                .endpoint("/echo", () -> new WebSocketHandler() {
                    @Override
                    public void onText(Connection c, String text) {
                        c.sendText(text);
                    }

                    @Override
                    public void onBinary(Connection c, ByteBuffer data) {
                        c.sendBinary(data);
                    }
                }).build().start();
             WebSocketClient client = WebSocketClient.builder().config(plain).build()) {
            CompletableFuture<String> text = new CompletableFuture<>();
            CompletableFuture<ByteBuffer> binary = new CompletableFuture<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            Connection c = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), new WebSocketHandler() {
                @Override
                public void onText(Connection c, String t) {
                    text.complete(t);
                }

                @Override
                public void onBinary(Connection c, ByteBuffer b) {
                    binary.complete(b);
                }

                @Override
                public void onClose(Connection c, int code, String reason) {
                    closed.complete(code);
                }
            }).get(10, TimeUnit.SECONDS);
            c.sendText("héllo");
            c.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertEquals("héllo", text.get(10, TimeUnit.SECONDS));
            assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), binary.get(10, TimeUnit.SECONDS));
            c.close();
            assertEquals(1000, closed.get(10, TimeUnit.SECONDS));
        }
    }
}
