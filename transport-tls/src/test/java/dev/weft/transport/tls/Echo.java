package dev.weft.transport.tls;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;

import java.nio.ByteBuffer;
import java.util.List;

/** The echo endpoint the tests serve, and the settings they share. */
final class Echo implements WebSocketHandler {

    /** Large enough for the biggest test message; no extensions, so bytes on the wire are predictable. */
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
}
