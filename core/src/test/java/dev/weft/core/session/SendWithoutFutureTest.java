package dev.weft.core.session;

import dev.weft.api.Connection;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.PartialMessageHandler;
import dev.weft.api.Utf8TextHandler;
import dev.weft.api.WebSocketConfig;
import dev.weft.testing.Recorder;
import dev.weft.testing.ScriptedPeer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sends that return no future, and text taken and sent as UTF-8 bytes. */
class SendWithoutFutureTest {

    private static final WebSocketConfig PLAIN = WebSocketConfig.builder().extensions(List.of()).build();

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Frame whole(Opcode opcode, ByteBuffer payload) {
        return new Frame(true, 0, opcode, payload);
    }

    @Test
    void eachKindGoesOutAsOneWholeFrame() {
        ScriptedPeer peer = ScriptedPeer.client(Recorder.recording(), PLAIN);
        Connection c = peer.connection();
        assertTrue(c.trySendText("héllo 🌍"));
        assertTrue(c.trySendBinary(ByteBuffer.wrap(new byte[] {0, 1, (byte) 0xff})));
        assertTrue(c.trySendUtf8Text(utf8("€ 5")));
        peer.flush();
        assertEquals(List.of(
                whole(Opcode.TEXT, utf8("héllo 🌍")),
                whole(Opcode.BINARY, ByteBuffer.wrap(new byte[] {0, 1, (byte) 0xff})),
                whole(Opcode.TEXT, utf8("€ 5"))), peer.takeFrames());
    }

    @Test
    void invalidArgumentsThrowAtOnceAndSendNothing() {
        ScriptedPeer peer = ScriptedPeer.client(Recorder.recording(), PLAIN);
        Connection c = peer.connection();
        ByteBuffer overlong = ByteBuffer.wrap(new byte[] {'a', (byte) 0xC0, (byte) 0x80});
        assertThrows(IllegalArgumentException.class, () -> c.trySendUtf8Text(overlong));
        assertThrows(IllegalArgumentException.class, () -> c.trySendUtf8Text(ByteBuffer.wrap(new byte[] {(byte) 0xE2, (byte) 0x82})),
                "a message may not end inside a code point");
        assertThrows(IllegalArgumentException.class, () -> c.trySendText("\uD83C"), "a lone surrogate");
        ExecutionException e = assertThrows(ExecutionException.class, () -> c.sendUtf8Text(overlong).get());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        peer.flush();
        assertEquals(List.of(), peer.takeFrames());
    }

    @Test
    void aClosedConnectionDropsThemAndSaysSo() {
        ScriptedPeer peer = ScriptedPeer.client(Recorder.recording(), PLAIN);
        Connection c = peer.connection();
        c.close(1000, "");
        peer.flush();
        peer.takeFrames();
        assertFalse(c.trySendText("late"));
        assertFalse(c.trySendBinary(ByteBuffer.allocate(1)));
        assertFalse(c.trySendUtf8Text(utf8("late")));
        peer.flush();
        assertEquals(List.of(), peer.takeFrames());
    }

    @Test
    void onTheLoopAStreamedMessageInProgressRefusesThem() {
        List<Boolean> results = new ArrayList<>();
        ScriptedPeer peer = ScriptedPeer.client(new Recorder(false) {
            @Override
            public void onText(Connection connection, String text) {
                connection.sendText("Hel", false);
                results.add(connection.trySendText("interleaved"));
                connection.sendText("lo", true);
                results.add(connection.trySendText(text));
            }
        }, PLAIN);
        peer.sendFrame(true, 0, Opcode.TEXT, "again".getBytes(StandardCharsets.UTF_8)).flush();
        assertEquals(List.of(false, true), results);
        assertEquals(List.of(
                new Frame(false, 0, Opcode.TEXT, utf8("Hel")),
                new Frame(true, 0, Opcode.CONTINUATION, utf8("lo")),
                whole(Opcode.TEXT, utf8("again"))), peer.takeFrames());
    }

    /** Echoes text as the bytes it came in, never decoding it. */
    private static final class Utf8Echo extends Recorder implements Utf8TextHandler {
        final List<ByteBuffer> texts = new ArrayList<>();

        Utf8Echo() {
            super(false);
        }

        @Override
        public void onText(Connection connection, String text) {
            throw new AssertionError("onText is not called for a Utf8TextHandler: " + text);
        }

        @Override
        public void onUtf8Text(Connection connection, ByteBuffer utf8) {
            texts.add(utf8.duplicate());
            connection.trySendUtf8Text(utf8);
        }
    }

    @Test
    void aUtf8TextHandlerTakesTheValidatedBytesAndCanEchoThem() {
        Utf8Echo echo = new Utf8Echo();
        ScriptedPeer peer = ScriptedPeer.client(echo, PLAIN);
        byte[] mixed = "naïve — 日本語 🌍".getBytes(StandardCharsets.UTF_8);
        peer.sendFrame(true, 0, Opcode.TEXT, mixed);
        peer.sendFrame(false, 0, Opcode.TEXT, new byte[] {'a', (byte) 0xE2});
        peer.sendFrame(true, 0, Opcode.CONTINUATION, new byte[] {(byte) 0x82, (byte) 0xAC}).flush();
        assertEquals(List.of(ByteBuffer.wrap(mixed), utf8("a€")), echo.texts);
        assertEquals(List.of(whole(Opcode.TEXT, ByteBuffer.wrap(mixed)), whole(Opcode.TEXT, utf8("a€"))),
                peer.takeFrames());

        peer.sendFrame(true, 0, Opcode.TEXT, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}).flush();
        assertEquals(1007, peer.closeCode(), "a surrogate is invalid UTF-8 here as well");
        assertEquals(2, echo.texts.size());
    }

    @Test
    void aPartialMessageHandlerStillTakesTextInParts() {
        List<String> parts = new ArrayList<>();
        class Both extends Recorder implements PartialMessageHandler, Utf8TextHandler {
            Both() {
                super(false);
            }

            @Override
            public void onUtf8Text(Connection connection, ByteBuffer utf8) {
                parts.add("utf8");
            }

            @Override
            public void onTextPart(Connection connection, String part, boolean last) {
                parts.add(part + ":" + last);
            }

            @Override
            public void onBinaryPart(Connection connection, ByteBuffer part, boolean last) {
            }
        }
        ScriptedPeer peer = ScriptedPeer.client(new Both(), PLAIN);
        peer.sendFrame(true, 0, Opcode.TEXT, "hi".getBytes(StandardCharsets.UTF_8)).flush();
        assertEquals(List.of("hi:true"), parts);
    }
}
