package dev.weft.ext.deflateframe;

import dev.weft.api.Frame;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionParameters;

/**
 * deflate-frame as agreed for one connection: a {@link FrameDeflater} for what this end sends and a
 * {@link FrameInflater} for what it receives, with RSV1 marking each compressed frame. Not
 * thread-safe: one connection uses it on one thread, as {@link Extension} allows.
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
    public Frame encode(Frame frame) {
        return deflater.encode(frame);
    }

    /** A compressed frame's output comes back in slices of at most 64 KiB. */
    @Override
    public Frame decode(Frame frame) {
        return inflater.decode(frame);
    }

    @Override
    public boolean hasPendingOutput() {
        return inflater.hasPendingOutput();
    }

    @Override
    public Frame decodePending() {
        return inflater.decodePending();
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
    public Extension newEncoder() {
        if (!encodesWithoutHistory()) {
            throw new UnsupportedOperationException("this end uses context takeover: " + parameters);
        }
        // The inflater is never used, so it never makes a zlib context.
        return new DeflateFrameExtension(parameters, deflater.copySettings(), new FrameInflater(false, 0, 0));
    }

    /** How many bytes the incoming message in progress has taken so far, after inflation. */
    long inflatedMessageSize() {
        return inflater.messageSize();
    }

    /**
     * The zlib contexts this end has made so far, each at the size zlib documents for it, and the
     * buffer of a frame's slices while its output is pending.
     */
    @Override
    public long heldBytes() {
        return deflater.heldBytes() + inflater.heldBytes();
    }

    @Override
    public void close() {
        // Both halves are ended even if one fails: each holds its own native memory.
        try {
            deflater.close();
        } finally {
            inflater.close();
        }
    }

    @Override
    public String toString() {
        return "DeflateFrameExtension[" + parameters + "]";
    }
}
