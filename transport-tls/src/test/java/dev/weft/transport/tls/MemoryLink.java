package dev.weft.transport.tls;

import dev.weft.testing.loop.ManualScheduler;
import dev.weft.transport.nio.NetworkLayer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * One end of a connection in memory: the {@link NetworkLayer.Link} a layer under test talks to, and
 * the wire to the other end. What the layer writes is delivered to the peer's layer in a later loop
 * task, in reads of {@code chunk} bytes from one reused buffer that is overwritten after each read
 * (as the event loop's is), so a layer that keeps a reference to it instead of copying breaks.
 * Writes made before a delivery runs are delivered together, so records coalesce. Records what the
 * layer does for the test to assert. Loop thread only.
 */
final class MemoryLink implements NetworkLayer.Link {

    final NetworkLayer layer;
    final ManualScheduler loop;
    private final int chunk;
    private ByteBuffer readBuffer = ByteBuffer.allocate(0);
    private final ByteArrayOutputStream undelivered = new ByteArrayOutputStream();
    private MemoryLink peer;
    private boolean deliveryScheduled;
    private boolean finPending;

    /** Every network write, whole. */
    final List<byte[]> sent = new ArrayList<>();
    /** Plaintext handed to the protocol. */
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    int opens;
    /** How many network writes there were when the layer called {@link #applicationOpen}. */
    int sentAtOpen = -1;
    int endsOfInput;
    /** Whether the peer's TCP end arrived before the layer ended the protocol's input (no close_notify). */
    boolean endedByFin;
    boolean finReceived;
    IOException failure;
    boolean networkClosed;
    /** Whether writes reach the peer; off, they are only recorded. */
    boolean connected = true;
    /** Runs when the layer opens the application, after the count. */
    Consumer<MemoryLink> onOpen = end -> { };

    MemoryLink(NetworkLayer layer, ManualScheduler loop, int chunk) {
        this.layer = layer;
        this.loop = loop;
        this.chunk = chunk;
    }

    /** Wires two ends and opens both layers, the server's first, as a server's TCP accept comes first. */
    static void connect(MemoryLink client, MemoryLink server) {
        client.peer = server;
        server.peer = client;
        server.layer.open(server);
        client.layer.open(client);
    }

    /** What the layer sent to the network, concatenated. */
    byte[] allSent() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        sent.forEach(all::writeBytes);
        return all.toByteArray();
    }

    /** The layer writes {@code text}; the future says when its records went out. */
    CompletableFuture<Void> write(String text) {
        return write(text.getBytes(StandardCharsets.UTF_8));
    }

    CompletableFuture<Void> write(byte[] bytes) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        layer.write(ByteBuffer.wrap(bytes), null, written);
        return written;
    }

    String receivedText() {
        return received.toString(StandardCharsets.UTF_8);
    }

    @Override
    public ManualScheduler loop() {
        return loop;
    }

    @Override
    public void writeNetwork(ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
        if (networkClosed) {
            written.completeExceptionally(new ClosedChannelException());
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (ByteBuffer b : body == null ? List.of(head) : List.of(head, body)) {
            byte[] a = new byte[b.remaining()];
            b.get(a);
            bytes.writeBytes(a);
        }
        sent.add(bytes.toByteArray());
        if (connected) {
            undelivered.writeBytes(bytes.toByteArray());
            scheduleDelivery();
        }
        if (written != null) {
            written.complete(null);
        }
    }

    @Override
    public void closeNetwork() {
        networkClosed = true;
        finPending = true;
        scheduleDelivery();
    }

    @Override
    public void readApplication(ByteBuffer bytes) {
        byte[] a = new byte[bytes.remaining()];
        bytes.get(a);
        received.writeBytes(a);
    }

    @Override
    public void applicationOpen() {
        opens++;
        sentAtOpen = sent.size();
        onOpen.accept(this);
    }

    @Override
    public void applicationEndOfInput() {
        endsOfInput++;
        endedByFin = finReceived;
    }

    @Override
    public void fail(IOException cause) {
        failure = cause;
        closeNetwork();
    }

    private void scheduleDelivery() {
        if (!deliveryScheduled && peer != null) {
            deliveryScheduled = true;
            loop.execute(this::deliver);
        }
    }

    private void deliver() {
        deliveryScheduled = false;
        byte[] bytes = undelivered.toByteArray();
        undelivered.reset();
        for (int i = 0; i < bytes.length; i += chunk) {
            int n = Math.min(chunk, bytes.length - i);
            if (readBuffer.capacity() < n) {
                readBuffer = ByteBuffer.allocate(n);
            }
            readBuffer.clear().put(bytes, i, n).flip();
            peer.layer.read(readBuffer);
            assertFalse(readBuffer.hasRemaining(), "the layer left bytes in the loop's buffer");
            Arrays.fill(readBuffer.array(), (byte) 0x5A);
        }
        if (finPending) {
            finPending = false;
            peer.finReceived = true;
            peer.layer.endOfInput();
        }
    }
}
