package dev.weft.core.session;

import dev.weft.core.frame.FrameEncoder;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * What a session needs of the transport that carries it: a write queue, closing, flow control and
 * the peer's address. Each write says what it carries, so no transport reads header bits. A session
 * calls these on the loop thread only.
 */
public interface Transport {

    /** What a write carries. */
    enum Kind {
        /** The opening handshake's request or response head (or a refusal). */
        HANDSHAKE,
        /** A data frame that does not end its message. */
        DATA,
        /** A data frame that ends its message (FIN set): one message sent. */
        FINAL_DATA,
        /** A ping or a pong. */
        CONTROL,
        /** A close frame: the last frame this end sends. */
        CLOSE;

        /** Whether it is a control frame, which may go ahead of queued data and past the queue limit. */
        public boolean isControl() {
            return this == CONTROL || this == CLOSE;
        }
    }

    /**
     * Queues one write: {@code head}, then {@code body} if not null, each from position to limit;
     * the transport may consume the buffers. Writes leave in the order they were queued.
     *
     * @param written completed on the loop thread once both buffers have been written, or
     *     exceptionally if they never will be; may be null when nobody waits
     */
    void write(Kind kind, ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written);

    /**
     * Queues one frame that goes out unmasked (a server's): its header, made from
     * {@code firstByte} and the body's length, then {@code body}. A transport that can write the
     * header straight into memory of its own overrides this and saves the header a buffer; by
     * default it gets one.
     *
     * @param written as for {@link #write}
     */
    default void writeFrame(Kind kind, int firstByte, ByteBuffer body, CompletableFuture<Void> written) {
        int length = body.remaining();
        ByteBuffer head = ByteBuffer.allocate(FrameEncoder.headerLength(length));
        FrameEncoder.putHeader(head, 0, firstByte, length);
        write(kind, head, length == 0 ? null : body, written);
    }

    /** Writes what is queued, then closes the connection. Calling it again has no effect. */
    void close();

    /** Closes the connection at once, dropping what is queued; their futures fail. */
    void abort();

    /** Bytes queued and not yet written. Readable from any thread. */
    long queuedBytes();

    /** Whether the queue is below its high watermark (see {@code Connection.isWritable()}). Readable from any thread. */
    boolean isWritable();

    /** Stops or resumes reading input. */
    void pauseReading(boolean paused);

    /** The peer's address. */
    SocketAddress remoteAddress();
}
