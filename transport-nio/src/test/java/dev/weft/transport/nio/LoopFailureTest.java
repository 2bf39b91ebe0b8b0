package dev.weft.transport.nio;

import dev.weft.testing.RawClient;
import dev.weft.api.Connection;
import dev.weft.api.Opcode;
import dev.weft.testing.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An error that escapes while a connection is served (here an {@link OutOfMemoryError} thrown by
 * its network layer, below the session) fails that connection through its session, so its handler
 * hears of it once and the server's books are kept, while the loop goes on serving the others.
 */
@Timeout(60)
class LoopFailureTest {

    /** Plain TCP, except that a read starting with a binary frame throws as if memory ran out. */
    private static final NetworkLayer.Factory FRAGILE = (role, host, port) -> new NetworkLayer() {
        private final NetworkLayer plain = NetworkLayer.PLAIN.create(role, host, port);

        @Override
        public void open(Link link) {
            plain.open(link);
        }

        @Override
        public void read(ByteBuffer fromNetwork) {
            if (fromNetwork.hasRemaining() && fromNetwork.get(fromNetwork.position()) == (byte) 0x82) {
                throw new OutOfMemoryError("test: no memory for this read");
            }
            plain.read(fromNetwork);
        }

        @Override
        public void write(ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
            plain.write(head, body, written);
        }

        @Override
        public void close() {
            plain.close();
        }

        @Override
        public void endOfInput() {
            plain.endOfInput();
        }
    };

    @Test
    void anErrorOnTheLoopFailsOnlyItsConnectionAndIsReportedOnce() throws Exception {
        Recorder serverSide = Recorder.recording();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(Echo.CONFIG)
                .networkLayer(FRAGILE).endpoint("/echo", () -> serverSide).build().start();
             WebSocketClient client = Echo.client()) {
            RawClient victim = RawClient.upgraded(server.port());
            serverSide.expect("open");
            victim.send(victim.frame(true, Opcode.BINARY, new byte[] {1, 2, 3}));

            serverSide.expect("error:IOException");
            assertTrue(serverSide.next().startsWith("close:1006:"), "the handler sees 1006");
            assertTrue(victim.readsEndOfStream(), "the connection is closed");
            assertEquals(0, server.stats().connectionsOpen());
            assertEquals(0, server.stats().heldBytes());

            Recorder neighbour = Recorder.recording();
            Connection c = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), neighbour)
                    .get(20, TimeUnit.SECONDS);
            serverSide.expect("open");
            c.sendText("still here");
            serverSide.expect("text:still here");
            c.close().get(20, TimeUnit.SECONDS);
            serverSide.await("close:1000");
            assertTrue(serverSide.events().isEmpty(), "no event twice: " + serverSide.events());
        }
    }
}
