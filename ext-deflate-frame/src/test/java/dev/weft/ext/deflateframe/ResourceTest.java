package dev.weft.ext.deflateframe;

import dev.weft.api.CloseCodes;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionEncoder;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.test.Slices;
import dev.weft.ext.zlib.Zlib;
import dev.weft.testing.InMemoryPair;
import dev.weft.testing.Recorder;
import dev.weft.testing.ScriptedPeer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Native zlib contexts and memory: made only when needed, always ended, bounded under attack. */
class ResourceTest {

    private static final ExtensionParameters AGREED = ExtensionParameters.of(DeflateFrame.NAME);

    @Test
    void twoThousandConnectionsLeaveNoZlibContextBehind() {
        WebSocketConfig config = WebSocketConfig.builder()
                .extensions(DeflateFrame.builder().buildForBothNames()).build();
        WebSocketConfig[] clients = {
            WebSocketConfig.builder().extensions(List.of(DeflateFrame.builder().build())).build(),
            WebSocketConfig.builder().extensions(List.of(DeflateFrame.builder().name(DeflateFrame.WEBKIT_NAME)
                    .requestNoContextTakeover(true).build())).build(),
        };
        int before = Zlib.live();
        int inUse = Zlib.inUse();
        String message = "compressed because it is longer than the default threshold of sixty-four bytes";
        for (int i = 0; i < 2000; i++) {
            Recorder client = Recorder.recording();
            InMemoryPair pair = InMemoryPair.builder().serverConfig(config).clientConfig(clients[i % 2])
                    .connect(Recorder.echoing(), client);
            pair.client().sendText(message);
            pair.flush();
            assertEquals(List.of("open", "text:" + message), client.take());
            if (i < 2) {
                assertEquals(before + 4, Zlib.live(), "a deflater and an inflater at each end");
            }
            // Half end with the close handshake, half abruptly.
            if (i % 4 < 2) {
                pair.client().close();
            } else {
                pair.client().abort();
            }
            pair.flush();
        }
        // What the directions without context takeover borrowed lies idle in the factory's pool.
        assertEquals(inUse, Zlib.inUse());
    }

    @Test
    void anExtensionThatCompressesNothingHoldsNoZlibContext() {
        int before = Zlib.live();
        try (Extension agreed = new DeflateFrame().accepted(AGREED, new ExtensionContext(Role.CLIENT, 1 << 20, 1 << 20))) {
            Frame small = Frame.text("below the threshold");
            assertSame(small, agreed.encoder().encode(small));
            Frame empty = new Frame(false, 0, Opcode.TEXT, ByteBuffer.allocate(0));
            assertSame(empty, agreed.encoder().encode(empty));
            Frame uncompressed = Frame.text("sent without RSV1");
            assertSame(uncompressed, agreed.decoder().decode(uncompressed));
            Frame ping = Frame.ping(ByteBuffer.wrap("a ping longer than the sixty-four bytes of the default threshold"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            assertSame(ping, agreed.encoder().encode(ping));
            assertEquals(before, Zlib.live());
        }
    }

    @Test
    void aFrameOverTheThresholdIsCompressedWithRsv1AndBothContextsAreEndedOnClose() {
        int before = Zlib.live();
        Extension agreed = new DeflateFrame().accepted(AGREED, new ExtensionContext(Role.CLIENT, 1 << 20, 1 << 20));
        String text = "a".repeat(DeflateFrame.DEFAULT_THRESHOLD);
        Frame sent = agreed.encoder().encode(new Frame(false, 0, Opcode.CONTINUATION, java.nio.charset.StandardCharsets.UTF_8
                .encode(text)));
        assertTrue(sent.rsv1());
        assertEquals(Opcode.CONTINUATION, sent.opcode());
        assertTrue(sent.payloadLength() < text.length(), sent.toString());
        agreed.decoder().decode(new Frame(true, Frame.RSV1, Opcode.TEXT, ByteBuffer.wrap(ScriptedPeer.hex("f2 48 cd c9 c9 07 00"))));
        assertEquals(before + 2, Zlib.live());
        agreed.close();
        assertEquals(before, Zlib.live());
    }

    @Test
    void heldBytesCountEachZlibContextFromItsFirstUseUntilClose() {
        Extension agreed = new DeflateFrame().accepted(AGREED, new ExtensionContext(Role.CLIENT, 1 << 20, 1 << 20));
        assertEquals(0, agreed.heldBytes(), "no context is made before it is needed");
        agreed.decoder().decode(new Frame(true, Frame.RSV1, Opcode.TEXT, ByteBuffer.wrap(ScriptedPeer.hex("f2 48 cd c9 c9 07 00"))));
        long inflater = agreed.heldBytes();
        // zlib documents 32 KiB of window "plus about 7 kilobytes" for an inflater.
        assertTrue(inflater > 32 * 1024 && inflater < 48 * 1024, Long.toString(inflater));
        agreed.encoder().encode(Frame.text("x".repeat(1000)));
        long deflater = agreed.heldBytes() - inflater;
        // 128 KiB of window and 128 KiB of hash chains "plus a few kilobytes" for a deflater.
        assertTrue(deflater > 256 * 1024 && deflater < 272 * 1024, Long.toString(deflater));
        agreed.decoder().decode(new Frame(true, Frame.RSV1, Opcode.TEXT, ByteBuffer.wrap(ScriptedPeer.hex("f2 00 11 00 00"))));
        assertEquals(inflater + deflater, agreed.heldBytes(), "no buffer is kept between frames");
        agreed.close();
        assertEquals(0, agreed.heldBytes());
    }

    @Test
    void aSharedEncoderGivesItsContextBackAfterEachFrame() {
        int inUse = Zlib.inUse();
        try (Extension agreed = DeflateFrame.builder().noContextTakeover(true).build()
                .accept(AGREED, new ExtensionContext(Role.SERVER, 1 << 20, 1 << 20)).orElseThrow()) {
            ExtensionEncoder encoder = agreed.newEncoder();
            int pooled = Zlib.pooled();
            encoder.encode(Frame.text("x".repeat(1000)));
            assertEquals(inUse, Zlib.inUse());
            assertEquals(pooled + 1, Zlib.pooled(), "borrowed for the frame, then back in the pool");
            encoder.close();
            assertEquals(inUse, Zlib.inUse());
        }
    }

    @Test
    void theInflatedSizeIsLimitedAcrossTheFramesOfAMessage() {
        int limit = 1024 * 1024;
        byte[] half = WireTest.zeros(limit / 2);
        try (DeflateFrameExtension agreed = (DeflateFrameExtension) new DeflateFrame()
                .accept(AGREED, new ExtensionContext(Role.SERVER, limit, limit)).orElseThrow()) {
            // Each frame on its own is under both limits; the third takes the message over.
            byte[] first = Slices.joined(agreed, new Frame(false, Frame.RSV1, Opcode.BINARY, ByteBuffer.wrap(half)));
            byte[] second = Slices.joined(agreed, new Frame(false, Frame.RSV1, Opcode.CONTINUATION, ByteBuffer.wrap(half)));
            assertEquals(limit, first.length + second.length);
            WebSocketException e = assertThrows(WebSocketException.class,
                    () -> Slices.joined(agreed, new Frame(true, Frame.RSV1, Opcode.CONTINUATION, ByteBuffer.wrap(half))));
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, e.closeCode());
            assertTrue(e.getMessage().contains("message"), e.getMessage());
            assertEquals(limit + 1, agreed.inflatedMessageSize(), "inflation stops one byte past the limit");
        }
    }

    @Test
    void uncompressedFramesCountTowardsTheMessageLimit() {
        int limit = 4096;
        try (DeflateFrameExtension agreed = (DeflateFrameExtension) new DeflateFrame()
                .accept(AGREED, new ExtensionContext(Role.SERVER, limit, limit)).orElseThrow()) {
            agreed.decoder().decode(new Frame(false, 0, Opcode.BINARY, ByteBuffer.allocate(3000)));
            WebSocketException e = assertThrows(WebSocketException.class, () -> Slices.joined(agreed,
                    new Frame(true, Frame.RSV1, Opcode.CONTINUATION, ByteBuffer.wrap(WireTest.zeros(2000)))));
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, e.closeCode());
            assertEquals(limit + 1, agreed.inflatedMessageSize());
        }
    }

    @Test
    void aBombStopsInflatingOneBytePastTheFrameLimit() {
        int frameLimit = 64 * 1024;
        byte[] bomb = WireTest.zeros(256 * 1024 * 1024);
        try (DeflateFrameExtension agreed = (DeflateFrameExtension) new DeflateFrame()
                .accept(AGREED, new ExtensionContext(Role.SERVER, frameLimit, 1 << 30)).orElseThrow()) {
            WebSocketException e = assertThrows(WebSocketException.class,
                    () -> Slices.joined(agreed, new Frame(true, Frame.RSV1, Opcode.BINARY, ByteBuffer.wrap(bomb))));
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, e.closeCode());
            assertTrue(e.getMessage().contains("frame"), e.getMessage());
            assertEquals(frameLimit + 1, agreed.inflatedMessageSize());
        }
    }
}
