package dev.weft.ext.permessagedeflate;

import dev.weft.api.WebSocketConfig;
import dev.weft.testing.Recorder;
import dev.weft.testing.ScriptedPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
 * permessage-deflate on the wire: a server session with the extension facing a scripted client
 * that offers it in a hand-written upgrade request, so every byte each way is the test's choice.
 * The examples are RFC 7692 §7.2.3's.
 */
class WireTest {

    private static final String UPGRADE = "GET / HTTP/1.1\r\n"
            + "Host: 127.0.0.1:8080\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate\r\n"
            + "\r\n";

    private final Recorder server = Recorder.recording();

    /** A server session with {@code deflate} that has agreed permessage-deflate with the scripted client. */
    private ScriptedPeer connect(PerMessageDeflate deflate, int maxMessageSize) {
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of(deflate))
                .maxMessageSize(maxMessageSize).build();
        ScriptedPeer peer = ScriptedPeer.rawClient(server, config);
        peer.sendAscii(UPGRADE).flush();
        String response = new String(peer.takeReceived(), StandardCharsets.US_ASCII);
        assertTrue(response.startsWith("HTTP/1.1 101"), response);
        assertTrue(response.contains("Sec-WebSocket-Extensions: permessage-deflate"), response);
        return peer;
    }

    private ScriptedPeer connect(PerMessageDeflate deflate) {
        return connect(deflate, WebSocketConfig.defaults().maxMessageSize());
    }

    private static PerMessageDeflate compressingEverything() {
        return PerMessageDeflate.builder().threshold(0).build();
    }

    @Test
    void helloIsOneCompressedBlockWithRsv1Set() {
        // RFC 7692 §7.2.3.1: "Hello" -> 0xf2 0x48 0xcd 0xc9 0xc9 0x07 0x00, in a text frame with RSV1.
        ScriptedPeer peer = connect(compressingEverything());
        peer.connection().sendText("Hello");
        peer.flush();
        assertArrayEquals(hex("c1 07 f2 48 cd c9 c9 07 00"), peer.takeReceived());
    }

    @Test
    void theSecondHelloReferencesTheFirstThroughTheSharedWindow() {
        // RFC 7692 §7.2.3.2: with context takeover the second "Hello" is 0xf2 0x00 0x11 0x00 0x00.
        ScriptedPeer peer = connect(compressingEverything());
        peer.connection().sendText("Hello");
        peer.connection().sendText("Hello");
        peer.flush();
        assertArrayEquals(hex("c1 07 f2 48 cd c9 c9 07 00" + "c1 05 f2 00 11 00 00"), peer.takeReceived());
    }

    @Test
    void withoutContextTakeoverEveryHelloIsCompressedAlike() {
        // RFC 7692 §7.2.3.2: with no context takeover the next message compresses "into the same bytes".
        ScriptedPeer peer = connect(PerMessageDeflate.builder().threshold(0).serverNoContextTakeover(true).build());
        peer.connection().sendText("Hello");
        peer.connection().sendText("Hello");
        peer.flush();
        assertArrayEquals(hex("c1 07 f2 48 cd c9 c9 07 00" + "c1 07 f2 48 cd c9 c9 07 00"), peer.takeReceived());
    }

    @Test
    void anEmptyMessageIsOneZeroOctet() {
        ScriptedPeer peer = connect(compressingEverything());
        peer.connection().sendText("");
        peer.flush();
        assertArrayEquals(hex("c1 01 00"), peer.takeReceived());
    }

    @Test
    void aMessageSentInPartsIsCompressedInPartsWithRsv1OnTheFirstOnly() {
        // RFC 7692 §7.2.3.6: the empty last fragment of a flushed message is the single octet 0x00.
        ScriptedPeer peer = connect(compressingEverything());
        peer.connection().sendText("Hello", false);
        peer.connection().sendText("", true);
        peer.flush();
        assertArrayEquals(hex("41 0b f2 48 cd c9 c9 07 00 00 00 ff ff" + "80 01 00"), peer.takeReceived());
    }

    @Test
    void messagesUnderTheThresholdAndControlFramesGoUncompressed() {
        ScriptedPeer peer = connect(PerMessageDeflate.builder().threshold(6).build());
        peer.connection().sendText("Hello");
        peer.connection().ping(ByteBuffer.wrap(hex("48 65 6c 6c 6f 21")));
        peer.connection().sendText("Hello!");
        peer.flush();
        assertArrayEquals(hex("81 05 48 65 6c 6c 6f" + "89 06 48 65 6c 6c 6f 21"
                + "c1 08 f2 48 cd c9 c9 57 04 00"), peer.takeReceived());
    }

    static Stream<Arguments> rfcExamples() {
        return Stream.of(
                Arguments.of("§7.2.3.1 one compressed block", List.of("c1", "f2 48 cd c9 c9 07 00")),
                Arguments.of("§7.2.3.1 the same in two fragments", List.of("41", "f2 48 cd", "80", "c9 c9 07 00")),
                Arguments.of("§7.2.3.3 a block with no compression",
                        List.of("c1", "00 05 00 fa ff 48 65 6c 6c 6f 00")),
                Arguments.of("§7.2.3.4 a block with BFINAL set", List.of("c1", "f3 48 cd c9 c9 07 00 00")),
                // The example's last octet is the sender's choice: a stream that ends with the
                // final block, as zlib's deflateRaw makes it, needs no tail.
                Arguments.of("§7.2.3.4 a block with BFINAL set, without the extra 0x00",
                        List.of("c1", "f3 48 cd c9 c9 07 00")),
                Arguments.of("§7.2.3.4 the same in two fragments, the stream ending with the first",
                        List.of("41", "f3 48 cd c9 c9 07 00", "80", "")),
                Arguments.of("§7.2.3.5 two blocks", List.of("c1", "f2 48 05 00 00 00 ff ff ca c9 c9 07 00")),
                Arguments.of("§7.2.3.6 an empty last fragment",
                        List.of("41", "f2 48 cd c9 c9 07 00 00 00 ff ff", "80", "00")),
                Arguments.of("uncompressed (RSV1 clear)", List.of("81", "48 65 6c 6c 6f")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfcExamples")
    void rfcExamplesInflateToHelloAndTheNextMessageStillDecodes(String example, List<String> frames) {
        ScriptedPeer peer = connect(new PerMessageDeflate());
        for (int i = 0; i < frames.size(); i += 2) {
            peer.sendRawFrame(Integer.parseInt(frames.get(i), 16), hex(frames.get(i + 1)));
        }
        // A second message, sharing the first's window (RFC 7692 §7.2.3.2), shows the inflater was
        // left ready for the next message.
        peer.sendRawFrame(0xc1, hex("f2 48 cd c9 c9 07 00"));
        peer.sendRawFrame(0xc1, hex("f2 00 11 00 00"));
        peer.flush();
        server.assertEvents("open", "text:Hello", "text:Hello", "text:Hello");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void violationsFailTheConnection(String violation, List<String> frames, int closeCode) {
        ScriptedPeer peer = connect(new PerMessageDeflate());
        for (int i = 0; i < frames.size(); i += 2) {
            peer.sendRawFrame(Integer.parseInt(frames.get(i), 16), hex(frames.get(i + 1)));
        }
        peer.flush();
        assertEquals(closeCode, peer.closeCode());
        server.assertEvents("open", "error:" + closeCode, "close:" + closeCode + ":*");
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of("RSV1 on a continuation frame", List.of("41", "f2 48 cd", "c0", "c9 c9 07 00"), 1002),
                Arguments.of("RSV1 on a continuation of an uncompressed message",
                        List.of("01", "48 65", "c0", "6c 6c 6f"), 1002),
                Arguments.of("RSV1 on a ping", List.of("c9", "00"), 1002),
                Arguments.of("RSV1 on a close", List.of("c8", "03 e8"), 1002),
                Arguments.of("data that is not DEFLATE", List.of("c1", "ff ff ff ff"), 1007),
                Arguments.of("a stored block whose length check fails", List.of("c1", "00 05 00 00 00 48"), 1007));
    }

    @Test
    void aDecompressionBombFailsWith1009() {
        int limit = 1024 * 1024;
        byte[] bomb = zeros(64 * 1024 * 1024);
        assertTrue(bomb.length < 128 * 1024, "the bomb is " + bomb.length + " bytes");
        ScriptedPeer peer = connect(new PerMessageDeflate(), limit);
        peer.sendRawFrame(0xc2, bomb).flush();
        assertEquals(1009, peer.closeCode());
        server.assertEvents("open", "error:1009", "close:1009:*");
    }

    /** {@code count} zero octets as a permessage-deflate payload, made without holding them all. */
    static byte[] zeros(int count) {
        Deflater deflater = new Deflater(9, true);
        try {
            byte[] chunk = new byte[64 * 1024];
            byte[] out = new byte[64 * 1024];
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            for (int fed = 0; fed < count; fed += chunk.length) {
                deflater.setInput(chunk);
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
