package dev.weft.ext.deflateframe;

import dev.weft.api.Frame;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionEncoder;
import dev.weft.api.extension.ExtensionParameters;

/**
 * deflate-frame as agreed for one connection: a {@link FrameDeflater} for what this end sends and a
 * {@link FrameInflater} for what it receives, with RSV1 marking each compressed frame. Not
 * thread-safe: one connection uses it on one thread, as {@link Extension} allows;
 * {@link #newEncoder()} reads only final settings.
 */
final class DeflateFrameExtension implements Extension {

    private final ExtensionParameters parameters;
    private final FrameDeflater deflater;
    private final FrameInflater inflater;

    /**
     * @param parameters the agreed parameters, as the server's response lists them
     * @param deflater compresses this end's frames
     * @param inflater decompresses the peer's frames
     */
    DeflateFrameExtension(ExtensionParameters parameters, FrameDeflater deflater, FrameInflater inflater) {
        this.parameters = parameters;
        this.deflater = deflater;
        this.inflater = inflater;
    }

    @Override
    public ExtensionParameters parameters() {
        return parameters;
    }

    @Override
    public int rsv() {
        return Frame.RSV1;
    }

    @Override
    public FrameDeflater encoder() {
        return deflater;
    }

    /** A compressed frame's output comes back in slices of at most 64 KiB. */
    @Override
    public FrameInflater decoder() {
        return inflater;
    }

    /**
     * True when this end compresses without context takeover: each frame on its own, so each
     * message too, and the peer's inflater can take such frames between any two of its others.
     */
    @Override
    public boolean encodesWithoutHistory() {
        return deflater.resetsAfterFrame();
    }

    @Override
    public ExtensionEncoder newEncoder() {
        if (!encodesWithoutHistory()) {
            throw new UnsupportedOperationException("this end uses context takeover: " + parameters);
        }
        return deflater.copySettings();
    }

    /** How many bytes the incoming message in progress has taken so far, after inflation. */
    long inflatedMessageSize() {
        return inflater.messageSize();
    }

    @Override
    public String toString() {
        return "DeflateFrameExtension[" + parameters + "]";
    }
}
