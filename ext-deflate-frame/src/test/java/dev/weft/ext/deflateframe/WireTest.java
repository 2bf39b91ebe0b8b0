package dev.weft.ext.deflateframe;

import dev.weft.api.WebSocketConfig;
import dev.weft.testing.Recorder;
import dev.weft.testing.ScriptedPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;

import static dev.weft.testing.ScriptedPeer.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-frame deflate on the wire: a server session with the extension facing a scripted client that
 * offers it in a hand-written upgrade request, so every byte each way is the test's choice. The
 * compressed "Hello" is RFC 7692 §7.2.3.1's: per-frame and per-message deflate compress a whole
 * one-frame message alike.
 */
class WireTest {

    private final Recorder server = Recorder.recording();

    /** A server session with {@code deflate} that has agreed to the scripted client's {@code offer}. */
    private ScriptedPeer connect(String offer, DeflateFrame deflate, WebSocketConfig.Builder config) {
        ScriptedPeer peer = ScriptedPeer.rawClient(server, config.extensions(List.of(deflate)).build());
        peer.sendAscii("GET / HTTP/1.1\r\n"
                + "Host: 127.0.0.1:8080\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: " + offer + "\r\n"
                + "\r\n").flush();
        String response = new String(peer.takeReceived(), StandardCharsets.US_ASCII);
        assertTrue(response.startsWith("HTTP/1.1 101"), response);
        assertTrue(response.contains("Sec-WebSocket-Extensions: " + deflate.name() + "\r\n"), response);
        return peer;
    }

    private ScriptedPeer connect(DeflateFrame deflate) {
        return connect(deflate.name(), deflate, WebSocketConfig.builder());
    }

    private static DeflateFrame compressingEverything() {
        return DeflateFrame.builder().threshold(0).build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {DeflateFrame.NAME, DeflateFrame.WEBKIT_NAME})
    void helloIsOneCompressedBlockWithRsv1Set(String name) {
        ScriptedPeer peer = connect(DeflateFrame.builder().name(name).threshold(0).build());
        peer.connection().sendText("Hello");
        peer.flush();
        assertArrayEquals(hex("c1 07 f2 48 cd c9 c9 07 00"), peer.takeReceived());
    }

    @Test
    void theSecondHelloReferencesTheFirstThroughTheSharedWindow() {
        ScriptedPeer peer = connect(compressingEverything());
        peer.connection().sendText("Hello");
        peer.connection().sendText("Hello");
        peer.flush();
        assertArrayEquals(hex("c1 07 f2 48 cd c9 c9 07 00" + "c1 05 f2 00 11 00 00"), peer.takeReceived());
    }

    @Test
    void aClientAskingForNoContextTakeoverGetsEveryHelloCompressedAlike() {
        ScriptedPeer peer = connect("deflate-frame; no_context_takeover", compressingEverything(),
                WebSocketConfig.builder());
        peer.connection().sendText("Hello");
        peer.connection().sendText("Hello");
        peer.flush();
        assertArrayEquals(hex("c1 07 f2 48 cd c9 c9 07 00" + "c1 07 f2 48 cd c9 c9 07 00"), peer.takeReceived());
    }

    @Test
    void everyFrameOfAMessageIsCompressedOnItsOwnWithRsv1() {
        // Unlike permessage-deflate, each frame ends its own flush (tail removed) and carries RSV1,
        // continuation frames included.
        ScriptedPeer peer = connect(compressingEverything());
        peer.connection().sendText("Hello", false);
        peer.connection().sendText("Hello", true);
        peer.connection().sendBinary(ByteBuffer.wrap("Hello".getBytes(StandardCharsets.US_ASCII)), false);
        peer.connection().sendBinary(ByteBuffer.wrap("Hello".getBytes(StandardCharsets.US_ASCII)), true);
        peer.flush();
        assertArrayEquals(hex("41 07 f2 48 cd c9 c9 07 00" + "c0 05 f2 00 11 00 00"
                + "42 04 02 13 00 00" + "c0 04 02 13 00 00"), peer.takeReceived());
    }

    @Test
    void framesUnderTheThresholdEmptyFramesAndControlFramesGoUncompressed() {
        ScriptedPeer peer = connect(DeflateFrame.builder().threshold(6).build());
        peer.connection().sendText("Hello");
        peer.connection().ping(ByteBuffer.wrap(hex("48 65 6c 6c 6f 21")));
        peer.connection().sendText("Hi", false);
        peer.connection().sendText("Hello!", false);
        peer.connection().sendText("", true);
        peer.flush();
        assertArrayEquals(hex("81 05 48 65 6c 6c 6f" + "89 06 48 65 6c 6c 6f 21"
                + "01 02 48 69" + "40 08 f2 48 cd c9 c9 57 04 00" + "80 00"), peer.takeReceived());
    }

    @Test
    void evenWithAThresholdOfZeroAnEmptyFrameGoesUncompressed() {
        ScriptedPeer peer = connect(compressingEverything());
        peer.connection().sendText("");
        peer.connection().sendBinary(ByteBuffer.allocate(0));
        peer.flush();
        assertArrayEquals(hex("81 00" + "82 00"), peer.takeReceived());
    }

    static Stream<Arguments> incoming() {
        return Stream.of(
                Arguments.of("one compressed frame", List.of("c1", "f2 48 cd c9 c9 07 00"), "Hello"),
                Arguments.of("two compressed frames, the second referring back to the first",
                        List.of("41", "f2 48 cd c9 c9 07 00", "c0", "f2 00 11 00 00"), "HelloHello"),
                Arguments.of("an uncompressed first frame, a compressed continuation",
                        List.of("01", "48 65 6c 6c 6f", "c0", "f2 48 cd c9 c9 07 00"), "HelloHello"),
                Arguments.of("a compressed first frame, an uncompressed continuation",
                        List.of("41", "f2 48 cd c9 c9 07 00", "80", "48 65 6c 6c 6f"), "HelloHello"),
                Arguments.of("a stored block", List.of("c1", "00 05 00 fa ff 48 65 6c 6c 6f 00"), "Hello"),
                Arguments.of("a block with BFINAL set", List.of("c1", "f3 48 cd c9 c9 07 00 00"), "Hello"),
                Arguments.of("a block with BFINAL set, without the extra 0x00", List.of("c1", "f3 48 cd c9 c9 07 00"),
                        "Hello"),
                Arguments.of("two frames, each a stream ending with a BFINAL block",
                        List.of("41", "f3 48 cd c9 c9 07 00", "c0", "f3 48 cd c9 c9 07 00"), "HelloHello"),
                Arguments.of("an empty compressed frame", List.of("41", "00", "c0", "f2 48 cd c9 c9 07 00"), "Hello"),
                Arguments.of("uncompressed", List.of("81", "48 65 6c 6c 6f"), "Hello"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("incoming")
    void incomingFramesInflateAndTheNextMessageStillDecodes(String example, List<String> frames, String text) {
        ScriptedPeer peer = connect(new DeflateFrame());
        for (int i = 0; i < frames.size(); i += 2) {
            peer.sendRawFrame(Integer.parseInt(frames.get(i), 16), hex(frames.get(i + 1)));
        }
        // Two more messages, the second sharing the first's window, show the inflater was left
        // ready for the next frame.
        peer.sendRawFrame(0xc1, hex("f2 48 cd c9 c9 07 00"));
        peer.sendRawFrame(0xc1, hex("f2 00 11 00 00"));
        peer.flush();
        server.assertEvents("open", "text:" + text, "text:Hello", "text:Hello");
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of("RSV1 on a ping", List.of("c9", "00"), 1002),
                Arguments.of("RSV1 on a pong", List.of("ca", "00"), 1002),
                Arguments.of("RSV1 on a close", List.of("c8", "03 e8"), 1002),
                Arguments.of("data that is not DEFLATE", List.of("c1", "ff ff ff ff"), 1007),
                Arguments.of("a stored block whose length check fails", List.of("c1", "00 05 00 00 00 48"), 1007),
                Arguments.of("a continuation that is not DEFLATE", List.of("41", "f2 48 cd c9 c9 07 00", "c0", "ff ff"),
                        1007));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void violationsFailTheConnection(String violation, List<String> frames, int closeCode) {
        ScriptedPeer peer = connect(new DeflateFrame());
        for (int i = 0; i < frames.size(); i += 2) {
            peer.sendRawFrame(Integer.parseInt(frames.get(i), 16), hex(frames.get(i + 1)));
        }
        peer.flush();
        assertEquals(closeCode, peer.closeCode());
        server.assertEvents("open", "error:" + closeCode, "close:" + closeCode + ":*");
    }

    @Test
    void aFrameThatInflatesPastTheMaximumFrameSizeFailsWith1009() {
        ScriptedPeer peer = connect(DeflateFrame.NAME, new DeflateFrame(), WebSocketConfig.builder().maxFrameSize(1024));
        peer.sendRawFrame(0xc2, zeros(1024));    // exactly the limit: fine
        byte[] bomb = zeros(1025);
        assertTrue(bomb.length < 64, "the frame is " + bomb.length + " bytes on the wire");
        peer.sendRawFrame(0xc2, bomb);
        peer.flush();
        assertEquals(1009, peer.closeCode());
        server.assertEvents("open", "binary:1024 bytes", "error:1009", "close:1009:*");
        assertEquals(1, server.takeMessages().stream().filter(m -> Arrays.equals(new byte[1024], (byte[]) m)).count());
    }

    @Test
    void aMessageThatInflatesPastTheMaximumMessageSizeAcrossItsFramesFailsWith1009() {
        ScriptedPeer peer = connect(DeflateFrame.NAME, new DeflateFrame(),
                WebSocketConfig.builder().maxFrameSize(64 * 1024).maxMessageSize(4096));
        peer.sendRawFrame(0x42, zeros(2000));
        peer.sendRawFrame(0x40, zeros(2000));
        peer.sendRawFrame(0xc0, zeros(2000));
        peer.flush();
        assertEquals(1009, peer.closeCode());
        server.assertEvents("open", "error:1009", "close:1009:*");
    }

    @Test
    void aDecompressionBombFailsWith1009() {
        byte[] bomb = zeros(64 * 1024 * 1024);
        assertTrue(bomb.length < 128 * 1024, "the bomb is " + bomb.length + " bytes");
        ScriptedPeer peer = connect(DeflateFrame.NAME, new DeflateFrame(),
                WebSocketConfig.builder().maxFrameSize(1 << 20).maxMessageSize(1 << 20));
        peer.sendRawFrame(0xc2, bomb).flush();
        assertEquals(1009, peer.closeCode());
        server.assertEvents("open", "error:1009", "close:1009:*");
    }

    /** {@code count} zero octets as one deflate-frame payload, made without holding them all. */
    static byte[] zeros(int count) {
        Deflater deflater = new Deflater(9, true);
        try {
            byte[] chunk = new byte[64 * 1024];
            byte[] out = new byte[64 * 1024];
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            for (int fed = 0; fed < count; fed += chunk.length) {
                deflater.setInput(chunk, 0, Math.min(chunk.length, count - fed));
                while (!deflater.needsInput()) {
                    compressed.write(out, 0, deflater.deflate(out));
                }
            }
            int n;
            while ((n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH)) > 0) {
                compressed.write(out, 0, n);
            }
            byte[] bytes = compressed.toByteArray();
            return Arrays.copyOf(bytes, bytes.length - 4);
        } finally {
            deflater.end();
        }
    }
}
