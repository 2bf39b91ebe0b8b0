package dev.weft.api.extension;

import dev.weft.api.Frame;

/**
 * The receiving half of an agreed {@link Extension}: transforms the peer's frames on their way in,
 * after unmasking and after the engine's frame-level checks. Used by one connection on one thread
 * at a time; it need not be thread-safe.
 *
 * <p>Every incoming frame passes it, control frames included, in the order they arrived.
 *
 * <h2>Output in slices</h2>
 * A decoder whose output can be far larger than its input (a decompressor) should not produce it
 * in one call: a small frame could then hold the connection's thread, and every other connection
 * of its event loop, for seconds. Instead {@link #decode} returns the first slice of the output (a
 * few tens of KiB; Weft's own extensions hand back at most 64 KiB at a time) as a frame with
 * {@code fin} clear, and {@link #hasPendingOutput()} returns {@code true}. The engine then calls
 * {@link #decodePending()} for each next slice, on later turns of its event loop, until
 * {@link #hasPendingOutput()} returns {@code false}, and gives this decoder no other frame
 * meanwhile. Every slice after the first is a {@link dev.weft.api.Opcode#CONTINUATION} frame; the
 * last one carries the incoming frame's {@code fin}. The incoming frame's payload stays valid and
 * unchanged until the last slice has been returned. Slices are fragments of the same message, so
 * the application sees the same message however the output was sliced.
 *
 * <h2>Failures</h2>
 * {@link #decode} and {@link #decodePending} throw {@link dev.weft.api.WebSocketException} to fail
 * the connection with a specific close code: a protocol error in the peer's use of the extension,
 * or an output over {@link ExtensionContext#maxMessageSize()}, checked while it is produced.
 */
public interface ExtensionDecoder extends AutoCloseable {

    /**
     * Transforms an incoming frame. The incoming payload may live in a buffer the connection reuses
     * for later frames: returning it (or a view of it) is fine, as the engine consumes the result
     * at once, but keeping a reference to it past this call (or past the last slice of its output)
     * is not.
     *
     * @return the frame as the application (or the next extension) should see it, or the first
     *     slice of it; it must carry none of the bits this extension claimed
     * @throws dev.weft.api.WebSocketException to fail the connection
     */
    Frame decode(Frame frame);

    /**
     * Whether the last {@link #decode} or {@link #decodePending} call left output still to come.
     *
     * @return {@code false} by default: the whole output came back at once
     */
    default boolean hasPendingOutput() {
        return false;
    }

    /**
     * The next slice of the output of the frame last given to {@link #decode}; called only while
     * {@link #hasPendingOutput()} is {@code true}.
     *
     * @throws dev.weft.api.WebSocketException to fail the connection, as {@link #decode} does
     * @throws IllegalStateException by default: nothing can be pending
     */
    default Frame decodePending() {
        throw new IllegalStateException("this decoder returns its output whole");
    }

    /**
     * The memory this decoder holds now, in bytes: a native decompression context at its known
     * size (a zlib inflater with a 32 KiB window is about 39 KiB) plus the buffers it keeps between
     * calls, such as the output of a frame whose slices are pending. Cheap to call; 0 by default.
     * See {@link Extension#heldBytes()}.
     */
    default long heldBytes() {
        return 0;
    }

    /**
     * Frees what the decoder holds. Called once, by {@link Extension#close()}; the decoder is not
     * used afterwards.
     */
    @Override
    void close();
}
