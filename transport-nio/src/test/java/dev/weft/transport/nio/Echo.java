package dev.weft.transport.nio;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;

import java.nio.ByteBuffer;
import java.util.List;

/** The echo endpoint the tests serve, and settings shared by the tests. */
final class Echo implements WebSocketHandler {

    static final WebSocketConfig CONFIG = WebSocketConfig.builder().extensions(List.of())
            .maxMessageSize(32 << 20).maxFrameSize(32 << 20).build();

    @Override
    public void onText(Connection c, String text) {
        c.sendText(text);
    }

    @Override
    public void onBinary(Connection c, ByteBuffer data) {
        c.sendBinary(data);
    }

    /** A started server on an ephemeral loopback port with an echo endpoint at /echo. */
    static WebSocketServer server() {
        return builder().build().start();
    }

    static WebSocketServer.Builder builder() {
        return WebSocketServer.builder().bind("127.0.0.1", 0).threads(2).config(CONFIG).endpoint("/echo", Echo::new);
    }

    static WebSocketClient client() {
        return WebSocketClient.builder().threads(2).config(CONFIG).build();
    }

    private Echo() {
    }

    static Echo handler() {
        return new Echo();
    }
}
