package dev.weft.api.extension;

/**
 * An extension agreed for one connection: what its {@link ExtensionFactory} negotiated, and the two
 * halves of its data path, an {@link ExtensionEncoder} for this end's frames and an
 * {@link ExtensionDecoder} for the peer's. Used by one connection on one thread at a time; it need
 * not be thread-safe, except for {@link #newEncoder()}.
 *
 * <h2>Reserved bits</h2>
 * An extension claims the RSV bits it uses with {@link #rsv()}. The engine refuses frames with
 * bits no agreed extension claims, and never agrees two extensions that claim the same bit.
 *
 * <h2>Order</h2>
 * Encoders apply to outgoing frames in the order the server listed the extensions in its response,
 * and decoders to incoming frames in the reverse order (RFC 6455 §9.1). Every frame passes every
 * extension, control frames included, so that an extension sees a message's frames in order.
 *
 * <h2>Encoding once for many connections</h2>
 * A server broadcasting a message would compress it once per recipient. An extension whose output
 * for a message does not depend on the messages before it (permessage-deflate with
 * {@code server_no_context_takeover}) says so with {@link #encodesWithoutHistory()}; the server then
 * encodes the message once with a {@link #newEncoder()}, without making any decoder, and sends the
 * same bytes to every recipient whose agreed extensions have equal parameters.
 *
 * <h2>Memory</h2>
 * Both halves report the memory they hold ({@link #heldBytes()}), so that the engine can keep every
 * connection within its memory budget, and a decoder may hand back a large output in slices (see
 * {@link ExtensionDecoder}).
 */
public interface Extension extends AutoCloseable {

    /** The parameters as agreed: what the server's response listed for this extension. */
    ExtensionParameters parameters();

    /** The reserved bits this extension uses: a combination of {@code Frame.RSV1..RSV3}, or 0. */
    int rsv();

    /**
     * This connection's encoder: the same object on every call, and not the same object as
     * {@link #decoder()}.
     */
    ExtensionEncoder encoder();

    /**
     * This connection's decoder: the same object on every call, and not the same object as
     * {@link #encoder()}.
     */
    ExtensionDecoder decoder();

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
     * A new encoder with this extension's agreed parameters and none of its state, which gives
     * every message the same frames as {@link #encoder()} would: used to encode one message on
     * behalf of many connections. Only {@link ExtensionEncoder#encode} (with the frames of whole
     * messages) and then {@link ExtensionEncoder#close} are called on it, from one thread, and the
     * caller closes it. May be called from any thread, so it must read only what was fixed when the
     * extension was agreed. Called only when {@link #encodesWithoutHistory()} is {@code true}.
     *
     * @throws UnsupportedOperationException by default
     */
    default ExtensionEncoder newEncoder() {
        throw new UnsupportedOperationException(parameters().name() + " keeps history between messages");
    }

    /**
     * The memory this connection's halves hold now, in bytes: by default what the
     * {@linkplain ExtensionEncoder#heldBytes() encoder} and the
     * {@linkplain ExtensionDecoder#heldBytes() decoder} report. The engine reads it after each frame
     * it encodes or decodes and charges it to the connection's share of the memory budget, so that
     * many connections holding compression contexts cannot exhaust native memory.
     */
    default long heldBytes() {
        return encoder().heldBytes() + decoder().heldBytes();
    }

    /**
     * Frees what this connection's halves hold (native compression contexts, buffers). Called
     * exactly once, when the connection ends; the extension is not used afterwards. By default it
     * closes the encoder and then the decoder, even if the encoder fails to close: each may hold
     * native memory of its own.
     */
    @Override
    default void close() {
        try {
            encoder().close();
        } finally {
            decoder().close();
        }
    }
}
