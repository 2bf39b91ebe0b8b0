package dev.weft.transport.blocking;

import dev.weft.api.Connection;
import dev.weft.api.Message;
import dev.weft.api.WebSocketHandler;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EchoTest {

    @Test
    void echoesTextAndBinaryThenCloses() throws Exception {
        try (BlockingWebSocketServer server = BlockingWebSocketServer.builder()
                .endpoint("/echo", () -> new WebSocketHandler() {
                    @Override
                    public void onText(Connection c, String text) {
                        c.sendText(text);
                    }

                    @Override
                    public void onBinary(Connection c, ByteBuffer data) {
                        c.sendBinary(data);
                    }
                })
                .build().start()) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/echo");
            try (BlockingWebSocket ws = BlockingWebSocket.connect(uri)) {
                ws.sendText("hello");
                assertEquals(Message.text("hello"), ws.receive());
                ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                assertEquals(Message.binary(ByteBuffer.wrap(new byte[] {1, 2, 3})), ws.receive());
                ws.close();
                assertNull(ws.receive());
                assertEquals(1000, ws.closeCode());
            }
        }
    }
}
