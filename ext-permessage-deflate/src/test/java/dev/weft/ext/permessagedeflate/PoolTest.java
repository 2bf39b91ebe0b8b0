package dev.weft.ext.permessagedeflate;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.ext.zlib.Zlib;
import dev.weft.testing.InMemoryPair;
import dev.weft.testing.Recorder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Without context takeover a direction borrows its zlib context from the factory's pool for one
 * message and gives it back after it: idle connections hold none, and none leaks, even when a
 * connection ends mid-message.
 */
class PoolTest {

    private static final String MESSAGE = "compressed because it is longer than the default threshold of sixty-four bytes";
    private static final ExtensionContext SERVER = new ExtensionContext(Role.SERVER, 1 << 20, 1 << 20);
    private static final ExtensionContext CLIENT = new ExtensionContext(Role.CLIENT, 1 << 20, 1 << 20);

    @Test
    void idleConnectionsWithoutContextTakeoverHoldNoZlibContext() {
        PerMessageDeflate deflate = PerMessageDeflate.builder().poolSize(4)
                .serverNoContextTakeover(true).clientNoContextTakeover(true).build();
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of(deflate)).build();
        int inUse = Zlib.inUse();
        int live = Zlib.live();
        for (int i = 0; i < 50; i++) {
            Recorder client = Recorder.recording();
            InMemoryPair pair = InMemoryPair.builder().config(config).connect(Recorder.echoing(), client);
            pair.client().sendText(MESSAGE);
            pair.flush();
            assertEquals(List.of("open", "text:" + MESSAGE), client.take());
            // Open and idle: every context is back in the pool.
            assertEquals(inUse, Zlib.inUse(), "connection " + i + " holds a zlib context while idle");
        }
        // A client and a server compressor and decompressor, borrowed in turn and reused: at most
        // two of each kind were ever made, whatever the number of connections.
        assertEquals(true, Zlib.live() - live <= 4, "made: " + (Zlib.live() - live));
    }

    @Test
    void aConnectionEndingMidMessageGivesBackWhatItBorrowed() {
        PerMessageDeflate deflate = PerMessageDeflate.builder().poolSize(4)
                .serverNoContextTakeover(true).clientNoContextTakeover(true).build();
        int inUse = Zlib.inUse();
        ExtensionParameters offer = ExtensionParameters.of(PerMessageDeflate.NAME)
                .with("server_no_context_takeover").with("client_no_context_takeover");
        Extension server = deflate.accept(offer, SERVER).orElseThrow();
        Extension client = deflate.accepted(server.parameters(), CLIENT);
        // The first frame of a message in parts borrows a compressor; the peer's first frame, a decompressor.
        Frame first = server.encoder().encode(new Frame(false, 0, Opcode.TEXT, utf8(MESSAGE)));
        client.decoder().decode(first);
        assertEquals(inUse + 2, Zlib.inUse());
        assertEquals(Zlib.DEFLATER_BYTES, server.heldBytes());
        server.close();
        client.close();
        assertEquals(inUse, Zlib.inUse(), "closed mid-message: both given back");
    }

    @Test
    void withContextTakeoverEachConnectionKeepsItsOwnContexts() {
        PerMessageDeflate deflate = PerMessageDeflate.builder().build();
        int inUse = Zlib.inUse();
        Extension server = deflate.accept(ExtensionParameters.of(PerMessageDeflate.NAME), SERVER).orElseThrow();
        server.encoder().encode(Frame.text(MESSAGE));
        assertEquals(inUse + 1, Zlib.inUse(), "kept between messages");
        server.close();
        assertEquals(inUse, Zlib.inUse());
    }

    @Test
    void aPoolOfNoneEndsEachContextAfterItsMessage() {
        PerMessageDeflate deflate = PerMessageDeflate.builder().poolSize(0).serverNoContextTakeover(true).build();
        int live = Zlib.live();
        long made = Zlib.deflatersMade();
        try (Extension server = deflate.accept(ExtensionParameters.of(PerMessageDeflate.NAME), SERVER).orElseThrow()) {
            for (int i = 0; i < 3; i++) {
                server.encoder().encode(Frame.text(MESSAGE));
                assertEquals(live, Zlib.live());
            }
        }
        assertEquals(3, Zlib.deflatersMade() - made);
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().poolSize(-1));
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
