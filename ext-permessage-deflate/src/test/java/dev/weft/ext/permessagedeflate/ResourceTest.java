package dev.weft.ext.permessagedeflate;

import dev.weft.api.CloseCodes;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.test.Slices;
import dev.weft.ext.zlib.Zlib;
import dev.weft.testing.InMemoryPair;
import dev.weft.testing.MemoryLimit;
import dev.weft.testing.Recorder;
import dev.weft.testing.ScriptedPeer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Native zlib contexts and memory: made only when needed, always ended, bounded under attack. */
class ResourceTest {

    private static final ExtensionParameters AGREED = ExtensionParameters.of(PerMessageDeflate.NAME);

    @Test
    void twoThousandConnectionsLeaveNoZlibContextBehind() {
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of(new PerMessageDeflate())).build();
        int before = Zlib.live();
        String message = "compressed because it is longer than the default threshold of sixty-four bytes";
        for (int i = 0; i < 2000; i++) {
            Recorder client = Recorder.recording();
            InMemoryPair pair = InMemoryPair.builder().config(config).connect(Recorder.echoing(), client);
            pair.client().sendText(message);
            pair.flush();
            assertEquals(List.of("open", "text:" + message), client.take());
            if (i == 0) {
                assertEquals(before + 4, Zlib.live(), "a deflater and an inflater at each end");
            }
            // Half end with the close handshake, half abruptly.
            if (i % 2 == 0) {
                pair.client().close();
            } else {
                pair.client().abort();
            }
            pair.flush();
        }
        assertEquals(before, Zlib.live());
    }

    @Test
    void zlibContextsAreChargedToTheServersMemoryBudgetSoManyConnectionsCannotExhaustIt() {
        // Each server connection that inflates a message and compresses its echo holds a zlib
        // inflater and deflater: about 300 KiB of native memory that no Java heap limit sees.
        long limit = 8 << 20;
        MemoryLimit budget = new MemoryLimit(limit);
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of(new PerMessageDeflate())).build();
        String message = "compressed because it is longer than the default threshold of sixty-four bytes";
        List<Recorder> clients = new ArrayList<>();
        List<InMemoryPair> pairs = new ArrayList<>();
        long mostHeld = 0;
        for (int i = 0; i < 100; i++) {
            Recorder client = Recorder.recording();
            InMemoryPair pair = InMemoryPair.builder().config(config).serverMemoryBudget(budget)
                    .connect(Recorder.echoing(), client);
            pair.client().sendText(message);
            clients.add(client);
            pairs.add(pair);
            // Each pair is its own event loop: all of them run, as a server's loops all do.
            pairs.forEach(InMemoryPair::flush);
            mostHeld = Math.max(mostHeld, budget.heldBytes());
        }
        pairs.forEach(InMemoryPair::flush); // a close the last growth asked for, on an earlier pair's loop
        long perConnection = 300 * 1024;
        // Over the budget, a first growth pauses the largest holders and a later one closes the
        // largest; idle holders do not shrink, so a few connections' worth may stand over it.
        assertTrue(mostHeld <= limit + 3 * perConnection, "held at most the budget and a few connections' share: "
                + mostHeld);
        assertTrue(budget.evictions() >= 60, "100 connections of ~300 KiB in an 8 MiB budget: " + budget.evictions());
        long closedWith1013 = clients.stream().filter(c -> c.closeCodes().contains(1013)).count();
        assertEquals(budget.evictions(), closedWith1013, "every connection the budget closed was told 1013");
    }

    @Test
    void anExtensionThatCompressesNothingHoldsNoZlibContext() {
        int before = Zlib.live();
        try (DeflateExtension agreed = (DeflateExtension) new PerMessageDeflate()
                .accepted(AGREED, new ExtensionContext(Role.CLIENT, 1 << 20, 1 << 20))) {
            Frame small = Frame.text("below the threshold");
            assertSame(small, agreed.encoder().encode(small));
            Frame uncompressed = Frame.text("sent without RSV1");
            assertSame(uncompressed, agreed.decoder().decode(uncompressed));
            Frame ping = Frame.ping(ByteBuffer.wrap(new byte[] {1}));
            assertSame(ping, agreed.encoder().encode(ping));
            assertEquals(before, Zlib.live());
        }
    }

    @Test
    void heldBytesCountEachZlibContextFromItsFirstUseUntilClose() {
        Extension agreed = new PerMessageDeflate().accepted(AGREED, new ExtensionContext(Role.CLIENT, 1 << 20, 1 << 20));
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
        assertEquals(inflater + deflater, agreed.heldBytes(), "no buffer is kept between messages");
        agreed.close();
        assertEquals(0, agreed.heldBytes());
    }

    @Test
    void aMessageOverTheThresholdIsCompressedWithRsv1() {
        try (DeflateExtension agreed = (DeflateExtension) new PerMessageDeflate()
                .accepted(AGREED, new ExtensionContext(Role.CLIENT, 1 << 20, 1 << 20))) {
            String text = "a".repeat(PerMessageDeflate.DEFAULT_THRESHOLD);
            Frame sent = agreed.encoder().encode(Frame.text(text));
            assertTrue(sent.rsv1());
            assertTrue(sent.payloadLength() < text.length(), sent.toString());
        }
    }

    @Test
    void theInflatedSizeIsLimitedAcrossTheFramesOfAMessage() {
        int limit = 1024 * 1024;
        byte[] lastPart = WireTest.zeros(limit / 2);
        // A fragment before the last keeps the end of its flush (RFC 7692 §7.2.3.1's first fragment).
        byte[] halfLimit = Arrays.copyOf(lastPart, lastPart.length + 4);
        halfLimit[halfLimit.length - 2] = (byte) 0xff;
        halfLimit[halfLimit.length - 1] = (byte) 0xff;
        try (DeflateExtension agreed = (DeflateExtension) new PerMessageDeflate()
                .accept(AGREED, new ExtensionContext(Role.SERVER, 1 << 20, limit)).orElseThrow()) {
            // Each fragment on its own is under the limit; the third takes the message over it.
            byte[] first = Slices.joined(agreed, new Frame(false, Frame.RSV1, Opcode.BINARY, ByteBuffer.wrap(halfLimit)));
            byte[] second = Slices.joined(agreed, new Frame(false, 0, Opcode.CONTINUATION, ByteBuffer.wrap(halfLimit)));
            assertEquals(limit, first.length + second.length);
            WebSocketException e = assertThrows(WebSocketException.class,
                    () -> Slices.joined(agreed, new Frame(true, 0, Opcode.CONTINUATION, ByteBuffer.wrap(lastPart))));
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, e.closeCode());
            assertEquals(limit + 1, agreed.inflatedMessageSize(), "inflation stops one byte past the limit");
        }
    }

    @Test
    void aBombStopsInflatingOneBytePastTheLimit() {
        int limit = 64 * 1024;
        byte[] bomb = WireTest.zeros(256 * 1024 * 1024);
        try (DeflateExtension agreed = (DeflateExtension) new PerMessageDeflate()
                .accept(AGREED, new ExtensionContext(Role.SERVER, 1 << 20, limit)).orElseThrow()) {
            WebSocketException e = assertThrows(WebSocketException.class,
                    () -> Slices.joined(agreed, new Frame(true, Frame.RSV1, Opcode.BINARY, ByteBuffer.wrap(bomb))));
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, e.closeCode());
            assertEquals(limit + 1, agreed.inflatedMessageSize());
        }
    }
}
