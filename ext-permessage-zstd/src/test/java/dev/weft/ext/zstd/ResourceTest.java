package dev.weft.ext.zstd;

import dev.weft.testing.Recorder;
import dev.weft.core.test.Slices;
import com.github.luben.zstd.EndDirective;
import dev.weft.api.CloseCodes;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionEncoder;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.testing.InMemoryPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static dev.weft.ext.zstd.NegotiationTest.element;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Native zstd contexts and memory: made only when needed, freed exactly once, bounded under attack. */
class ResourceTest {

    private static final ExtensionContext CLIENT = new ExtensionContext(Role.CLIENT, 1 << 20, 1 << 20);

    @Test
    void threeThousandConnectionsLeaveNoZstdContextBehind() {
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of(new PerMessageZstd())).build();
        int before = NativeContexts.live();
        String message = "compressed because it is longer than the default threshold of sixty-four bytes";
        for (int i = 0; i < 3000; i++) {
            Recorder client = Recorder.recording();
            InMemoryPair pair = InMemoryPair.builder().config(config).connect(Recorder.echoing(), client);
            pair.client().sendText(message);
            pair.flush();
            assertEquals(List.of(message), client.takeMessages());
            if (i == 0) {
                assertEquals(before + 4, NativeContexts.live(), "a compressor and a decompressor at each end");
            }
            // A third end with the close handshake, a third abruptly, a third by a protocol error.
            switch (i % 3) {
                case 0 -> pair.client().close();
                case 1 -> pair.client().abort();
                default -> pair.client().sendFrame(new Frame(true, Frame.RSV1, Opcode.PING, null));
            }
            pair.flush();
            assertEquals(1, client.closeCodes().size());
        }
        assertEquals(before, NativeContexts.live());
    }

    @Test
    void aConnectionThatOnlySendsSmallMessagesHoldsNoZstdContext() {
        int before = NativeContexts.live();
        try (Extension agreed = new PerMessageZstd().accepted(element("permessage-zstd"), CLIENT)) {
            Frame small = Frame.text("below the threshold");
            assertSame(small, agreed.encoder().encode(small));
            Frame uncompressed = Frame.text("sent without RSV1");
            assertSame(uncompressed, agreed.decoder().decode(uncompressed));
            Frame ping = Frame.ping(ByteBuffer.wrap(new byte[] {1}));
            assertSame(ping, agreed.encoder().encode(ping));
            assertSame(ping, agreed.decoder().decode(ping));
            assertEquals(before, NativeContexts.live());
        }
        assertEquals(before, NativeContexts.live());
    }

    @Test
    void closingTwiceFreesOnceAndAClosedExtensionMakesNoNewContext() {
        int before = NativeContexts.live();
        Extension agreed = PerMessageZstd.builder().threshold(0).build().accepted(element("permessage-zstd"), CLIENT);
        agreed.encoder().encode(Frame.text("Hello"));
        agreed.decoder().decode(new Frame(true, Frame.RSV1, Opcode.TEXT, ByteBuffer.wrap(Zstandard.frame(new byte[10]))));
        assertEquals(before + 2, NativeContexts.live());
        agreed.close();
        agreed.close();
        assertEquals(before, NativeContexts.live());
        assertThrows(IllegalStateException.class, () -> agreed.encoder().encode(Frame.text("Hello")));
        assertEquals(before, NativeContexts.live());
    }

    @Test
    void heldBytesCountEachZstdContextFromItsFirstUseUntilClose() {
        Extension agreed = PerMessageZstd.builder().threshold(0).build().accepted(element("permessage-zstd"), CLIENT);
        assertEquals(0, agreed.heldBytes(), "no context is made before it is needed");
        agreed.decoder().decode(new Frame(true, Frame.RSV1, Opcode.TEXT, ByteBuffer.wrap(Zstandard.frame(new byte[10]))));
        long decompressor = agreed.heldBytes();
        // zstd's estimate for a 128 KiB window: about 96 KiB of context, the window and two blocks.
        assertTrue(decompressor > (128 + 96) * 1024 && decompressor < 640 * 1024, Long.toString(decompressor));
        agreed.encoder().encode(Frame.text("Hello"));
        long compressor = agreed.heldBytes() - decompressor;
        assertTrue(compressor > 1024 * 1024 && compressor < 3 * 1024 * 1024, Long.toString(compressor));
        Slices.decode(agreed, new Frame(true, Frame.RSV1, Opcode.TEXT, ByteBuffer.wrap(Zstandard.frame(new byte[100_000]))));
        assertEquals(decompressor + compressor, agreed.heldBytes(), "no output is kept between messages");
        agreed.close();
        assertEquals(0, agreed.heldBytes());
    }

    @Test
    void aLargerWindowOrLevelIsChargedMore() {
        assertEquals((1 << 20) - (1 << 17), NativeContexts.decompressorBytes(20) - NativeContexts.decompressorBytes(17),
                "the window");
        assertTrue(NativeContexts.compressorBytes(3, 20) > NativeContexts.compressorBytes(3, 17));
        assertTrue(NativeContexts.compressorBytes(19, 23) > NativeContexts.compressorBytes(3, 23));
        // zstd shrinks a level's tables to fit a small window.
        assertEquals(NativeContexts.compressorBytes(3, 10), NativeContexts.compressorBytes(19, 10));
    }

    @Test
    void anEncoderForABroadcastNeverMakesADecompressor() {
        int before = NativeContexts.live();
        ZstdExtension agreed = (ZstdExtension) new PerMessageZstd()
                .accept(element("permessage-zstd; server_no_context_takeover"),
                        new ExtensionContext(Role.SERVER, 1 << 20, 1 << 20)).orElseThrow();
        assertTrue(agreed.encodesWithoutHistory());
        try (ExtensionEncoder encoder = agreed.newEncoder()) {
            Frame sent = encoder.encode(Frame.text("x".repeat(1000)));
            assertTrue(sent.rsv1());
            assertEquals(before + 1, NativeContexts.live());
        }
        agreed.close();
        assertEquals(before, NativeContexts.live());
    }

    @Test
    void anEncoderForABroadcastIsRefusedWithContextTakeover() {
        try (Extension agreed = new PerMessageZstd().accept(element("permessage-zstd"),
                new ExtensionContext(Role.SERVER, 1 << 20, 1 << 20)).orElseThrow()) {
            assertEquals(false, agreed.encodesWithoutHistory());
            assertThrows(UnsupportedOperationException.class, agreed::newEncoder);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"permessage-zstd; client_no_context_takeover", "permessage-zstd"})
    void aDeclaredSizeOverTheLimitFailsBeforeDecompressingAnything(String offer) {
        int limit = 1 << 20;
        byte[] bomb;
        try (Zstandard z = Zstandard.stream(17)) {
            bomb = z.compress(new byte[limit + 1], EndDirective.END);
        }
        try (ZstdExtension agreed = serverExtension(offer, limit)) {
            WebSocketException e = assertThrows(WebSocketException.class,
                    () -> Slices.decode(agreed, new Frame(true, Frame.RSV1, Opcode.BINARY, ByteBuffer.wrap(bomb))));
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, e.closeCode());
            assertEquals(0, agreed.decompressedMessageSize(), "refused on the header alone");
        }
    }

    @Test
    void aBombWithoutADeclaredSizeStopsOneBytePastTheLimit() {
        int limit = 64 * 1024;
        byte[] bomb;
        try (Zstandard z = Zstandard.stream(17)) {
            bomb = z.zeros(256L << 20, EndDirective.FLUSH);
        }
        try (ZstdExtension agreed = serverExtension("permessage-zstd", limit)) {
            WebSocketException e = assertThrows(WebSocketException.class,
                    () -> Slices.decode(agreed, new Frame(true, Frame.RSV1, Opcode.BINARY, ByteBuffer.wrap(bomb))));
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, e.closeCode());
            assertEquals(limit + 1, agreed.decompressedMessageSize());
        }
    }

    @Test
    void theDecompressedSizeIsLimitedAcrossTheFramesOfAMessage() {
        int limit = 1 << 20;
        byte[] half;
        byte[] rest;
        try (Zstandard z = Zstandard.stream(17)) {
            half = z.compress(new byte[limit / 2], EndDirective.FLUSH);
            rest = z.compress(new byte[limit / 2 + 1], EndDirective.END);
        }
        try (ZstdExtension agreed = serverExtension("permessage-zstd; client_no_context_takeover", limit)) {
            // Each fragment on its own is under the limit; the third takes the message over it.
            byte[] first = Slices.joined(agreed, new Frame(false, Frame.RSV1, Opcode.BINARY, ByteBuffer.wrap(half)));
            byte[] second = Slices.joined(agreed, new Frame(false, 0, Opcode.CONTINUATION, ByteBuffer.wrap(new byte[0])));
            assertEquals(limit / 2, first.length + second.length);
            WebSocketException e = assertThrows(WebSocketException.class,
                    () -> Slices.joined(agreed, new Frame(true, 0, Opcode.CONTINUATION, ByteBuffer.wrap(rest))));
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, e.closeCode());
            assertEquals(limit + 1, agreed.decompressedMessageSize(), "decompression stops one byte past the limit");
        }
    }

    @Test
    void aMessageExactlyAtTheLimitIsTaken() {
        int limit = 100_000;
        byte[] data = new byte[limit];
        Arrays.fill(data, (byte) 'a');
        try (ZstdExtension agreed = serverExtension("permessage-zstd", limit)) {
            byte[] out = Slices.joined(agreed, new Frame(true, Frame.RSV1, Opcode.BINARY,
                    ByteBuffer.wrap(Zstandard.frame(data))));
            assertArrayEquals(data, out);
        }
    }

    @ParameterizedTest(name = "{0} MiB")
    @ValueSource(ints = {16, 32})
    void anHonestLargeMessageCostsLinearWork(int mebibytes) {
        int size = mebibytes << 20;
        byte[] compressed;
        try (Zstandard z = Zstandard.stream(17)) {
            compressed = z.zeros(size, EndDirective.FLUSH);
        }
        try (ZstdExtension agreed = serverExtension("permessage-zstd", size)) {
            long before = agreed.decompressorGrowths();
            long[] length = new long[1];
            Slices.decode(agreed, new Frame(true, Frame.RSV1, Opcode.BINARY, ByteBuffer.wrap(compressed)),
                    slice -> length[0] += slice.length);
            assertEquals(size, length[0]);
            // Growing by a fixed 32 KiB step took 512 copies for 16 MiB, each of the whole output so
            // far. Now one slice's buffer grows by doubling to 64 KiB at most, and every later slice
            // reuses it: each byte is copied once, whatever the size.
            long growths = agreed.decompressorGrowths() - before;
            assertTrue(growths <= Integer.numberOfTrailingZeros(Slices.MAX), growths + " growths");
        }
    }

    private static ZstdExtension serverExtension(String offer, int maxMessageSize) {
        return (ZstdExtension) new PerMessageZstd()
                .accept(element(offer), new ExtensionContext(Role.SERVER, 1 << 20, maxMessageSize)).orElseThrow();
    }
}
