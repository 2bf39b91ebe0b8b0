package dev.weft.core.session;

import dev.weft.api.Connection;
import dev.weft.api.Opcode;
import dev.weft.api.PartialMessageHandler;
import dev.weft.api.WebSocketConfig;
import dev.weft.testing.InMemoryPair;
import dev.weft.testing.MemoryLimit;
import dev.weft.testing.Recorder;
import dev.weft.testing.ScriptedPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a hostile peer can make a session hold, and for how long: memory follows the bytes that
 * arrived, an extension's large output comes in slices between which the loop serves others, a
 * message that never ends is closed at its deadline, and an error while reading fails only its
 * connection. All through the in-memory transport, with a manual clock.
 */
class HostileInputTest {

    private static final int MIB = 1 << 20;
    private static final WebSocketConfig LARGE = WebSocketConfig.builder()
            .maxFrameSize(64 * MIB).maxMessageSize(64 * MIB).extensions(List.of()).build();

    @ParameterizedTest(name = "gathered whole: {0}")
    @ValueSource(booleans = {false, true})
    void aDeclaredLengthReservesNothingAndHoldingsFollowTheBytesThatArrived(boolean withExtension) {
        Recorder handler = Recorder.recording();
        MemoryLimit budget = MemoryLimit.unlimited();
        Connection server;
        ScriptedPeer peer = null;
        InMemoryPair pair = null;
        if (withExtension) {
            // An agreed extension makes the server gather each frame whole before decoding it.
            WebSocketConfig config = LARGE.toBuilder().extensions(List.of(new RepeatExtensionFactory(1, 1024))).build();
            pair = InMemoryPair.builder().config(config).serverMemoryBudget(budget).connect(handler, Recorder.recording());
            server = pair.server();
        } else {
            peer = ScriptedPeer.client(handler, LARGE, budget);
            server = peer.connection();
        }
        byte[] header = declaredHeader(0x82, 64L * MIB);
        sendRaw(peer, pair, header);
        assertTrue(server.heldBytes() <= 256, "a header alone holds at most the smallest buffer: " + server.heldBytes());

        long received = 0;
        for (int i = 0; i < 40; i++) {
            byte[] trickle = new byte[1000];
            sendRaw(peer, pair, trickle);
            received += trickle.length;
            assertTrue(server.heldBytes() <= 2 * received + 256,
                    "held " + server.heldBytes() + " after " + received + " payload bytes");
        }
        assertEquals(server.heldBytes(), budget.heldBytes());
        assertTrue(server.isOpen());
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedWith1009BeforeAnyPayload() {
        WebSocketConfig config = LARGE.toBuilder().maxFrameSize(MIB).build();
        ScriptedPeer peer = ScriptedPeer.client(Recorder.recording(), config);
        peer.sendRaw(declaredHeader(0x82, 64L * MIB)).flush();
        assertEquals(1009, peer.closeCode());
        assertEquals(0, peer.connection().heldBytes());
    }

    @Test
    void largeOutputComesInSlicesAndTheInputBehindItWaitsItsTurn() {
        Recorder server = Recorder.recording();
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of(new RepeatExtensionFactory(100, 64))).build();
        InMemoryPair pair = InMemoryPair.builder().config(config).connect(server, Recorder.recording());
        server.take();

        // Sent together: the text's frame and the ping arrive while the binary's output is pending.
        pair.client().sendBinary(ByteBuffer.wrap(bytes("0123456789")));
        pair.client().sendText("after");
        pair.client().ping(ByteBuffer.wrap(bytes("p")));
        pair.flush();

        server.assertEvents("binary:1000 bytes", "text:" + "after".repeat(100), "ping:p");
        assertEquals(8, ((SessionConnection) pair.server()).session().decodedSlices(), "500 bytes of text in slices of 64");
    }

    @Test
    void aMessageSlicedByAnExtensionIsWholeAndCountsItsSlicesNotAsFragments() {
        Recorder server = Recorder.recording();
        WebSocketConfig config = WebSocketConfig.builder().maxFragmentsPerMessage(1)
                .extensions(List.of(new RepeatExtensionFactory(1000, 4096))).build();
        InMemoryPair pair = InMemoryPair.builder().config(config).connect(server, Recorder.recording());
        server.take();
        byte[] unit = bytes("abcdefghij");
        pair.client().sendBinary(ByteBuffer.wrap(unit));
        pair.flush();
        server.assertEvents("binary:10000 bytes");
        assertEquals(3, ((SessionConnection) pair.server()).session().decodedSlices(), "10,000 bytes in slices of 4,096");
    }

    @Test
    void slicedOutputOverTheMessageLimitFailsWith1009() {
        Recorder server = Recorder.recording();
        WebSocketConfig config = WebSocketConfig.builder().maxMessageSize(50_000)
                .extensions(List.of(new RepeatExtensionFactory(1_000_000, 8192))).build();
        InMemoryPair pair = InMemoryPair.builder().config(config).connect(server, Recorder.recording());
        server.take();
        pair.client().sendBinary(ByteBuffer.wrap(bytes("bomb")));
        pair.flush();
        server.assertEvents("error:1009", "close:1009:repeats past the limit");
    }

    @Test
    void theInputEndingWhileOutputIsPendingStillDeliversWhatCameBefore() {
        Recorder server = Recorder.recording();
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of(new RepeatExtensionFactory(10, 3))).build();
        InMemoryPair pair = InMemoryPair.builder().config(config).connect(server, Recorder.recording());
        server.take();
        pair.client().sendText("ab");
        pair.client().close(1000, "done");
        pair.flush();
        server.assertEvents("text:abababababababababab", "close:1000:done");
    }

    @Test
    void anErrorWhileDecodingFailsOnlyThatConnectionWith1011AndIsReportedOnce() {
        Recorder server = Recorder.recording();
        Recorder client = Recorder.recording();
        MemoryLimit budget = MemoryLimit.unlimited();
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of(new RepeatExtensionFactory(2, 100))).build();
        InMemoryPair pair = InMemoryPair.builder().config(config).serverMemoryBudget(budget).connect(server, client);
        server.take();
        pair.client().sendText("OOM");
        pair.client().sendText("never read");
        pair.flush();
        server.assertEvents("error:OutOfMemoryError", "close:1011:internal error");
        client.assertEvents("open", "close:1011:internal error");
        assertEquals(0, budget.heldBytes(), "the budget got back all the connection held");
    }

    @Test
    void aMessageThatDoesNotFinishIsClosedWith1008AtItsDeadline() {
        Recorder handler = Recorder.recording();
        WebSocketConfig config = WebSocketConfig.builder().messageTimeout(Duration.ofSeconds(30)).extensions(List.of()).build();
        ScriptedPeer peer = ScriptedPeer.client(handler, config);
        peer.sendFrame(true, 0, Opcode.TEXT, bytes("whole")).flush();
        peer.advance(Duration.ofSeconds(29));
        peer.sendFrame(false, 0, Opcode.TEXT, bytes("started ")).flush();
        peer.advance(Duration.ofSeconds(20));
        peer.sendFrame(false, 0, Opcode.CONTINUATION, bytes("and ")).flush();
        peer.advance(Duration.ofSeconds(9));
        assertTrue(peer.connection().isOpen(), "29 s into a 30 s deadline");
        peer.advance(Duration.ofSeconds(1));
        assertEquals(1008, peer.closeCode());
        handler.assertEvents("open", "text:whole", "error:1008", "close:1008:a message took longer than the message timeout of 30 s");
    }

    @Test
    void eachMessageHasItsOwnDeadline() {
        Recorder handler = Recorder.recording();
        WebSocketConfig config = WebSocketConfig.builder().messageTimeout(Duration.ofSeconds(30)).extensions(List.of()).build();
        ScriptedPeer peer = ScriptedPeer.client(handler, config);
        for (int i = 0; i < 5; i++) {
            peer.sendFrame(false, 0, Opcode.TEXT, bytes("part ")).flush();
            peer.advance(Duration.ofSeconds(25));
            peer.sendFrame(true, 0, Opcode.CONTINUATION, bytes("end")).flush();
            peer.advance(Duration.ofSeconds(10));
        }
        assertTrue(peer.connection().isOpen());
        assertEquals(5, handler.take().stream().filter(e -> e.equals("text:part end")).count());
    }

    @Test
    void messagesTakenInPartsAreNotTimed() {
        class Parts extends Recorder implements PartialMessageHandler {
            Parts() {
                super(false);
            }

            @Override
            public void onTextPart(Connection c, String part, boolean last) {
                record("part:" + part + ":" + last);
            }

            @Override
            public void onBinaryPart(Connection c, ByteBuffer part, boolean last) {
                record("binary part");
            }
        }
        Parts handler = new Parts();
        WebSocketConfig config = WebSocketConfig.builder().messageTimeout(Duration.ofSeconds(30)).extensions(List.of()).build();
        ScriptedPeer peer = ScriptedPeer.client(handler, config);
        peer.sendFrame(false, 0, Opcode.TEXT, bytes("slow ")).flush();
        peer.advance(Duration.ofMinutes(2));
        peer.sendFrame(true, 0, Opcode.CONTINUATION, bytes("upload")).flush();
        assertTrue(peer.connection().isOpen());
        handler.assertEvents("open", "part:slow :false", "part:upload:true");
    }

    @Test
    void overTheBudgetTheLargestHolderIsPausedThenClosedWith1013() {
        MemoryLimit budget = new MemoryLimit(MIB);
        ScriptedPeer big = ScriptedPeer.client(Recorder.recording(), LARGE, budget);
        ScriptedPeer small = ScriptedPeer.client(Recorder.recording(), LARGE, budget);
        big.sendRaw(declaredHeader(0x82, 10 * MIB)).flush();
        small.sendRaw(declaredHeader(0x82, 10 * MIB)).flush();
        small.sendRaw(new byte[10_000]).flush();

        int sends = 0;
        while (budget.pausedConnections() == 0 && sends++ < 200) {
            big.sendRaw(new byte[10_000]).flush();
        }
        assertEquals(1, budget.pausedConnections(), "the largest holder stops reading");
        assertTrue(big.connection().isOpen());
        long held = big.connection().heldBytes();
        big.sendRaw(new byte[10_000]).flush();
        assertEquals(held, big.connection().heldBytes(), "a paused connection reads nothing more");

        // Still over the budget when another holder grows: pausing did not help, so the largest goes.
        small.sendRaw(new byte[10_000]).flush();
        big.flush();
        assertEquals(1013, big.closeCode());
        assertEquals(1, budget.evictions());
        assertTrue(small.connection().isOpen());
        assertEquals(small.connection().heldBytes(), budget.heldBytes(), "the closed holder gave back all it held");
    }

    private static void sendRaw(ScriptedPeer peer, InMemoryPair pair, byte[] bytes) {
        if (peer != null) {
            peer.sendRaw(bytes).flush();
        } else {
            ((SessionConnection) pair.server()).session().receive(ByteBuffer.wrap(bytes.clone()));
        }
    }

    /** A masked frame header with a 64-bit length (the mask key is zero, so payload bytes go as they are). */
    private static byte[] declaredHeader(int firstByte, long length) {
        byte[] h = new byte[14];
        h[0] = (byte) firstByte;
        h[1] = (byte) (0x80 | 127);
        for (int i = 0; i < 8; i++) {
            h[2 + i] = (byte) (length >>> (56 - 8 * i));
        }
        return h;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
