package dev.weft.ext.permessagedeflate;

import dev.weft.api.Frame;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionParameters;

/**
 * permessage-deflate as agreed for one connection (RFC 7692 §7): a {@link MessageDeflater} for what
 * this end sends and a {@link MessageInflater} for what it receives, with RSV1 as the
 * "Per-Message Compressed" bit. Not thread-safe: one connection uses it on one thread, as
 * {@link Extension} allows.
 */
final class DeflateExtension implements Extension {

    private final ExtensionParameters parameters;
    private final MessageDeflater deflater;
    private final MessageInflater inflater;

    /**
     * @param parameters the agreed parameters, as the server's response lists them
     * @param deflater compresses this end's messages
     * @param inflater decompresses the peer's messages
     */
    DeflateExtension(ExtensionParameters parameters, MessageDeflater deflater, MessageInflater inflater) {
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

    /** True when this end compresses with no context takeover: each message on its own. */
    @Override
    public boolean encodesWithoutHistory() {
        return deflater.resetsAfterMessage();
    }

    @Override
    public Extension newEncoder() {
        if (!encodesWithoutHistory()) {
            throw new UnsupportedOperationException("this end uses context takeover: " + parameters);
        }
        // The inflater is never used, so it never makes a zlib context.
        return new DeflateExtension(parameters, deflater.copySettings(), new MessageInflater(true, 0));
    }

    /** How many bytes the incoming message in progress has inflated to so far. */
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
        return "DeflateExtension[" + parameters + "]";
    }
}
