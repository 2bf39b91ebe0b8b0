package dev.weft.api.extension;

import dev.weft.api.Frame;

/**
 * The sending half of an agreed {@link Extension}: transforms this end's frames on their way out,
 * before masking. Used on one thread at a time; it need not be thread-safe.
 *
 * <p>Every outgoing frame passes it, control frames included: data frames in message order, control
 * frames possibly between the frames of a fragmented message. An encoder that does not change a
 * frame returns it as it is.
 */
public interface ExtensionEncoder extends AutoCloseable {

    /**
     * Transforms an outgoing frame.
     *
     * @return the frame to send (possibly {@code frame} itself)
     */
    Frame encode(Frame frame);

    /**
     * The memory this encoder holds now, in bytes: a native compression context at its known size
     * (a zlib deflater at the default level is about 260 KiB) plus the buffers it keeps between
     * calls. Cheap to call; 0 by default. See {@link Extension#heldBytes()}.
     */
    default long heldBytes() {
        return 0;
    }

    /**
     * Frees what the encoder holds. Called once: for a connection's own encoder by
     * {@link Extension#close()}, for one from {@link Extension#newEncoder()} by whoever asked for
     * it. The encoder is not used afterwards.
     */
    @Override
    void close();
}
