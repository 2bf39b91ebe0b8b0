package dev.weft.core.session;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Where a session's outgoing bytes go: the transport's write queue. A session calls these on the
 * loop thread only.
 */
public interface TransportSink {

    /**
     * Queues one frame's bytes: {@code head}, then {@code body} if not null, each from position to
     * limit; the transport may consume the buffers. Writes leave in the order they were queued.
     *
     * @param written completed on the loop thread once both buffers have been written, or
     *     exceptionally if they never will be; may be null when nobody waits
     */
    void write(ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written);

    /** Writes what is queued, then closes the connection. Calling it again has no effect. */
    void close();

    /** Closes the connection at once, dropping what is queued; their futures fail. */
    void abort();

    /** Bytes queued and not yet written. Readable from any thread. */
    long queuedBytes();

    /** Whether the queue is below its high watermark (see {@code Connection.isWritable()}). Readable from any thread. */
    boolean isWritable();

    /** Stops or resumes reading at the application's request. */
    void pauseReading(boolean paused);

    /** The peer's address. */
    SocketAddress remoteAddress();
}
