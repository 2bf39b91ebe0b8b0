package dev.weft.testing;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's in-memory examples, as written there, so the README stays true. */
class ReadmeExampleTest {

    @Test
    void theInMemoryPairExampleWorksAsDocumented() {
        List<String> printed = new ArrayList<>();
        WebSocketHandler echo = new WebSocketHandler() {
            @Override public void onText(Connection c, String text) { c.sendText(text); }
        };
        WebSocketHandler client = new WebSocketHandler() {
            @Override public void onText(Connection c, String text) { printed.add("got " + text); }
            @Override public void onClose(Connection c, int code, String reason) { printed.add("closed " + code); }
        };

        InMemoryPair pair = InMemoryPair.connect(echo, client);
        pair.client().sendText("hello");
        pair.flush();
        assertEquals(List.of("got hello"), printed);
        pair.client().close(CloseCodes.NORMAL_CLOSURE, "bye");
        pair.flush();
        assertEquals(List.of("got hello", "closed 1000"), printed);
        pair.advance(Duration.ofMinutes(10));
        assertEquals(List.of("got hello", "closed 1000"), printed);
    }

    @Test
    void theScriptedPeerExampleWorksAsDocumented() {
        WebSocketHandler handler = new WebSocketHandler() { };
        ScriptedPeer peer = ScriptedPeer.client(handler, WebSocketConfig.defaults());
        peer.sendFrame(true, Frame.RSV2, Opcode.TEXT, "x".getBytes(UTF_8)).flush();
        assertEquals(CloseCodes.PROTOCOL_ERROR, peer.closeCode());
    }
}
