package dev.weft.core.extension;

import dev.weft.api.Connection;
import dev.weft.api.Frame;
import dev.weft.api.FrameObserver;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.session.Broadcast;
import dev.weft.testing.InMemoryPair;
import dev.weft.testing.Recorder;
import dev.weft.testing.ScriptedPeer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Agreed extensions on a live session: negotiation, both directions, reserved bits, failures, cleanup. */
class ExtensionSessionTest {

    private final XorExtensionFactory xor = new XorExtensionFactory();
    private final WebSocketConfig withXor = WebSocketConfig.builder().extensions(List.of(xor)).build();

    @Test
    void anAgreedExtensionTransformsBothDirectionsAndIsClosedOncePerSide() {
        class Observing extends Recorder implements FrameObserver {
            Observing() {
                super(true);
            }

            @Override
            public void onFrame(Connection c, Frame f) {
                record("frame:" + f.opcode() + ":rsv=" + f.rsv());
            }
        }
        Observing server = new Observing();
        Recorder client = Recorder.recording();
        InMemoryPair pair = InMemoryPair.builder().config(withXor).connect(server, client);
        List<ExtensionParameters> expected = List.of(ExtensionParameters.of("x-xor").with("key", "90"));
        assertEquals(expected, pair.client().extensions());
        assertEquals(expected, pair.server().extensions());

        pair.client().sendText("through the chain");
        pair.client().sendBinary(ByteBuffer.wrap(new byte[] {0, 90, (byte) 255}));
        pair.flush();
        server.assertEvents("open", "frame:TEXT:rsv=0", "text:through the chain", "frame:BINARY:rsv=0", "binary:005aff");
        client.assertEvents("open", "text:through the chain", "binary:005aff");

        pair.client().close();
        pair.flush();
        assertEquals(2, xor.created.get());
        assertEquals(2, xor.closed.get(), "each side closes its extension exactly once");
    }

    @Test
    void aReservedBitNoExtensionClaimedFailsWith1002() {
        ScriptedPeer peer = ScriptedPeer.client(Recorder.recording(), withXor); // the peer offered nothing
        peer.sendFrame(true, Frame.RSV3, Opcode.TEXT, "x".getBytes()).flush();
        assertEquals(1002, peer.closeCode());
    }

    @Test
    void anExtensionFailsTheConnectionWithItsOwnCode() {
        Recorder server = Recorder.recording();
        InMemoryPair pair = InMemoryPair.builder().config(withXor).connect(server, Recorder.recording());
        server.take();
        pair.client().sendText("BOMB");
        pair.flush();
        server.assertEvents("error:1009", "close:1009:inflated too far");
        assertEquals(2, xor.closed.get());
    }

    @Test
    void aBuggyExtensionFailsOnlyItsConnectionWith1011() throws Exception {
        Recorder server = Recorder.recording();
        Recorder client = Recorder.recording();
        InMemoryPair pair = InMemoryPair.builder().config(withXor).connect(server, client);
        server.take();
        client.take();
        pair.client().sendText("CRASH IN");
        pair.flush();
        server.assertEvents("error:IllegalStateException", "close:1011:internal error");
        client.assertEvents("close:1011:internal error");

        pair = InMemoryPair.builder().config(withXor).connect(server, client);
        server.take();
        client.take();
        java.util.concurrent.CompletableFuture<Void> sent = pair.client().sendText("CRASH OUT");
        pair.flush();
        assertEquals(true, sent.isCompletedExceptionally());
        client.assertEvents("error:IllegalStateException", "close:1011:internal error");
        server.assertEvents("close:1011:internal error");
    }

    @Test
    void withoutTheExtensionOnOneSideNothingIsAgreed() {
        WebSocketConfig plain = WebSocketConfig.builder().extensions(List.of()).build();
        InMemoryPair pair = InMemoryPair.builder().serverConfig(plain).clientConfig(withXor)
                .connect(Recorder.recording(), Recorder.recording());
        assertEquals(List.of(), pair.client().extensions());
        assertEquals(List.of(), pair.server().extensions());
        assertEquals(0, xor.created.get(), "the client makes an extension only for what the server agreed");
    }

    @Test
    void aServerWhoseExtensionsKeepNoHistoryEncodesOnceForManyConnections() {
        XorExtensionFactory stateless = new XorExtensionFactory(true);
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of(stateless)).build();
        Recorder firstClient = Recorder.recording();
        Recorder secondClient = Recorder.recording();
        InMemoryPair first = InMemoryPair.builder().config(config).connect(Recorder.recording(), firstClient);
        InMemoryPair second = InMemoryPair.builder().config(config).connect(Recorder.recording(), secondClient);
        Broadcast.Recipient a = (Broadcast.Recipient) first.server();
        Broadcast.Recipient b = (Broadcast.Recipient) second.server();
        assertTrue(a.acceptsEncodedFrames() && b.acceptsEncodedFrames());
        assertEquals(a.extensions(), b.extensions());

        int encodedBefore = stateless.encoded.get();
        int closedBefore = stateless.closed.get();
        ByteBuffer frame = a.encodeShared(Opcode.TEXT, ByteBuffer.wrap("said once".getBytes()));
        assertEquals(encodedBefore + 1, stateless.encoded.get(), "one encoding");
        assertEquals(closedBefore + 1, stateless.closed.get(), "the encoder made for it is closed");
        assertEquals(0x81 | Frame.RSV3, frame.get(0) & 0xff, "FIN, RSV3 from the extension, TEXT");

        a.sendEncoded(frame.duplicate());
        b.sendEncoded(frame.duplicate());
        first.flush();
        second.flush();
        assertEquals(encodedBefore + 1, stateless.encoded.get(), "sending encodes nothing more");
        firstClient.assertEvents("open", "text:said once");
        secondClient.assertEvents("open", "text:said once");
    }

    @Test
    void aServerWhoseExtensionKeepsHistoryTakesNoSharedFrames() {
        InMemoryPair pair = InMemoryPair.builder().config(withXor).connect(Recorder.recording(), Recorder.recording());
        Broadcast.Recipient server = (Broadcast.Recipient) pair.server();
        assertFalse(server.acceptsEncodedFrames());
        assertThrows(IllegalStateException.class, () -> server.encodeShared(Opcode.TEXT, ByteBuffer.allocate(1)));
        assertTrue(server.sendEncoded(ByteBuffer.wrap(ScriptedPeer.hex("81 01 78"))).isCompletedExceptionally());
    }
}
