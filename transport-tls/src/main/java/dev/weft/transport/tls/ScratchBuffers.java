package dev.weft.transport.tls;

import java.nio.ByteBuffer;

/**
 * The working buffers of the thread that runs TLS layers (an event loop), shared by all its
 * connections so that an idle connection holds none: one for plaintext the engine unwraps, one for
 * records it wraps. Each is lent for the span of one call that leaves it empty again before anything
 * else can run on the thread: unwrapped plaintext is consumed by the protocol synchronously, wrapped
 * records are copied out before they go to the network. Confined to the calling thread.
 */
final class ScratchBuffers {

    private static final ThreadLocal<ScratchBuffers> CURRENT = ThreadLocal.withInitial(ScratchBuffers::new);

    private ByteBuffer plaintext = ByteBuffer.allocate(0);
    private ByteBuffer records = ByteBuffer.allocate(0);

    private ScratchBuffers() {
    }

    /** This thread's plaintext buffer, empty, with room for at least {@code capacity} bytes. */
    static ByteBuffer plaintext(int capacity) {
        ScratchBuffers mine = CURRENT.get();
        if (mine.plaintext.capacity() < capacity) {
            mine.plaintext = ByteBuffer.allocate(capacity);
        }
        return mine.plaintext.clear();
    }

    /** This thread's record buffer, empty, with room for at least {@code capacity} bytes. */
    static ByteBuffer records(int capacity) {
        ScratchBuffers mine = CURRENT.get();
        if (mine.records.capacity() < capacity) {
            mine.records = ByteBuffer.allocate(capacity);
        }
        return mine.records.clear();
    }
}
