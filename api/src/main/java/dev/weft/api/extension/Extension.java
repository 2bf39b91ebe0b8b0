package dev.weft.api.extension;

import dev.weft.api.Frame;

/**
 * An extension agreed for one connection: the data path, separate from its {@link ExtensionFactory}
 * which does the negotiation. Used by one connection on one thread at a time; it need not be
 * thread-safe.
 *
 * <h2>Reserved bits</h2>
 * An extension claims the RSV bits it uses with {@link #rsv()}. The engine refuses frames with
 * bits no agreed extension claims, and never agrees two extensions that claim the same bit.
 *
 * <h2>Order</h2>
 * Extensions apply to outgoing frames in the order the server listed them in its response, and
 * to incoming frames in the reverse order (RFC 6455 §9.1). Every frame passes every extension,
 * control frames included, so that an extension sees a message's frames in order; an extension
 * that does not change a frame returns it as it is.
 *
 * <h2>Encoding once for many connections</h2>
 * A server broadcasting a message would compress it once per recipient. An extension whose output
 * for a message does not depend on the messages before it (permessage-deflate with
 * {@code server_no_context_takeover}) says so with {@link #encodesWithoutHistory()}; the server then
 * encodes the message once with a {@link #newEncoder()} and sends the same bytes to every recipient
 * whose agreed extensions have equal parameters.
 *
 * <h2>Large output</h2>
 * A decoder may hand back its output in slices ({@link #hasPendingOutput()}), and reports the
 * memory it holds ({@link #heldBytes()}) so that the engine can keep every connection within its
 * memory budget.
 *
 * <h2>Failures</h2>
 * {@link #decode} throws {@link dev.weft.api.WebSocketException} to fail the connection with a
 * specific close code (a protocol error in the peer's use of the extension, or an inflated
 * message over {@link ExtensionContext#maxMessageSize()}).
 */
public interface Extension extends AutoCloseable {

    /** The parameters as agreed: what the server's response listed for this extension. */
    ExtensionParameters parameters();

    /** The reserved bits this extension uses: a combination of {@code Frame.RSV1..RSV3}, or 0. */
    int rsv();

    /**
     * Transforms a frame on its way out, before masking. Data frames arrive in message order;
     * control frames may arrive between the frames of a fragmented message.
     *
     * @return the frame to send (possibly {@code frame} itself)
     */
    Frame encode(Frame frame);

    /**
     * Transforms a frame on its way in, after unmasking and after the engine's frame-level checks.
     * The incoming payload may live in a buffer the connection reuses for later frames: returning
     * it (or a view of it) is fine, as the engine consumes the result at once, but keeping a
     * reference to it past this call is not.
     *
     * @return the frame as the application (or the next extension) should see it; it must carry
     *     none of the bits this extension claimed
     * @throws dev.weft.api.WebSocketException to fail the connection
     */
    Frame decode(Frame frame);

    /**
     * Whether the last {@link #decode} or {@link #decodePending} call left output still to come.
     *
     * <p><b>Output in slices.</b>
     * An extension whose output can be far larger than its input (a decompressor) should not
     * produce it in one call: a small frame could then hold the connection's thread, and every
     * other connection of its event loop, for seconds. Instead {@link #decode} returns the first
     * slice of the output (a few tens of KiB; Weft's own extensions use 64 KiB) as a frame with
     * {@code fin} clear, and this method returns {@code true}. The engine then calls
     * {@link #decodePending} for each next slice, on later turns of its event loop, until this
     * method returns {@code false}, and gives this extension no other frame meanwhile. Every slice
     * after the first is a {@link dev.weft.api.Opcode#CONTINUATION} frame; the last one carries
     * the incoming frame's {@code fin}. The incoming frame's payload stays valid and unchanged
     * until the last slice has been returned. Slices are fragments of the same message, so the
     * application sees the same message however the output was sliced.
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
        throw new IllegalStateException(parameters().name() + " returns its output whole");
    }

    /**
     * The memory this extension holds now, in bytes: native compression contexts at their known
     * size (a zlib inflater with a 32 KiB window is about 44 KiB, a deflater at the default level
     * about 260 KiB) plus the buffers it keeps between calls. The engine reads it after each
     * {@link #encode} and {@link #decode} and charges it to the connection's share of the memory
     * budget, so that many connections holding compression contexts cannot exhaust native memory.
     * Cheap to call; 0 by default.
     */
    default long heldBytes() {
        return 0;
    }

    /**
     * Whether this end encodes every data message without reference to earlier ones, so that the
     * frames a message becomes are the same whenever it is sent, and the peer can take them at any
     * point of the connection. Must not change over the connection's life. The default,
     * {@code false}, is right for any extension that keeps state across messages: such frames
     * cannot be shared between connections.
     */
    default boolean encodesWithoutHistory() {
        return false;
    }

    /**
     * A new encoder with this extension's agreed parameters and none of its state, used to encode
     * one message on behalf of many connections: only {@link #encode} (with the frames of whole
     * messages) and then {@link #close} are called on it, from one thread. May be called from any
     * thread, so it must read only what was fixed when the extension was agreed. Called only when
     * {@link #encodesWithoutHistory()} is {@code true}.
     *
     * @throws UnsupportedOperationException by default
     */
    default Extension newEncoder() {
        throw new UnsupportedOperationException(parameters().name() + " keeps history between messages");
    }

    /**
     * Frees what the extension holds (native compression contexts, buffers). Called exactly once,
     * when the connection ends; the extension is not used afterwards.
     */
    @Override
    void close();
}
