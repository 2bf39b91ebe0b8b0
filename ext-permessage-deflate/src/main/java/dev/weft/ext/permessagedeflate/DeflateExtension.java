package dev.weft.ext.permessagedeflate;

import dev.weft.api.Frame;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionEncoder;
import dev.weft.api.extension.ExtensionParameters;

/**
 * permessage-deflate as agreed for one connection (RFC 7692 §7): a {@link MessageDeflater} for what
 * this end sends and a {@link MessageInflater} for what it receives, with RSV1 as the
 * "Per-Message Compressed" bit. Not thread-safe: one connection uses it on one thread, as
 * {@link Extension} allows; {@link #newEncoder()} reads only final settings.
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
    public MessageDeflater encoder() {
        return deflater;
    }

    /** A compressed frame's output comes back in slices of at most 64 KiB. */
    @Override
    public MessageInflater decoder() {
        return inflater;
    }

    /** True when this end compresses with no context takeover: each message on its own. */
    @Override
    public boolean encodesWithoutHistory() {
        return deflater.resetsAfterMessage();
    }

    @Override
    public ExtensionEncoder newEncoder() {
        if (!encodesWithoutHistory()) {
            throw new UnsupportedOperationException("this end uses context takeover: " + parameters);
        }
        return deflater.copySettings();
    }

    /** How many bytes the incoming message in progress has inflated to so far. */
    long inflatedMessageSize() {
        return inflater.messageSize();
    }

    @Override
    public String toString() {
        return "DeflateExtension[" + parameters + "]";
    }
}
