package dev.weft.ext.zstd;

import dev.weft.api.Frame;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionParameters;

/**
 * permessage-zstd as agreed for one connection: a {@link MessageCompressor} for what this end sends
 * and a {@link MessageDecompressor} for what it receives, with RSV1 marking compressed messages.
 * Not thread-safe: one connection uses it on one thread, as {@link Extension} allows.
 */
final class ZstdExtension implements Extension {

    private final ExtensionParameters parameters;
    private final MessageCompressor compressor;
    private final MessageDecompressor decompressor;

    /**
     * @param parameters the agreed parameters, as the server's response lists them
     * @param compressor compresses this end's messages
     * @param decompressor decompresses the peer's messages
     */
    ZstdExtension(ExtensionParameters parameters, MessageCompressor compressor, MessageDecompressor decompressor) {
        this.parameters = parameters;
        this.compressor = compressor;
        this.decompressor = decompressor;
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
        return compressor.encode(frame);
    }

    /** A compressed frame's output comes back in slices of at most 64 KiB. */
    @Override
    public Frame decode(Frame frame) {
        return decompressor.decode(frame);
    }

    @Override
    public boolean hasPendingOutput() {
        return decompressor.hasPendingOutput();
    }

    @Override
    public Frame decodePending() {
        return decompressor.decodePending();
    }

    /** True when this end compresses with no context takeover: each message a whole zstd frame. */
    @Override
    public boolean encodesWithoutHistory() {
        return compressor.resetsAfterMessage();
    }

    @Override
    public Extension newEncoder() {
        if (!encodesWithoutHistory()) {
            throw new UnsupportedOperationException("this end uses context takeover: " + parameters);
        }
        // The decompressor is never used, so it never makes a zstd context.
        return new ZstdExtension(parameters, compressor.copySettings(),
                new MessageDecompressor(true, ZstdParameters.MIN_WINDOW_LOG, 0));
    }

    /** How many bytes the incoming message in progress has decompressed to so far. */
    long decompressedMessageSize() {
        return decompressor.messageSize();
    }

    /** How many times the decompressor has replaced an output array by a larger copy. */
    long decompressorGrowths() {
        return decompressor.growths();
    }

    /** The zstd contexts this end has made so far, at their estimated size, and their buffers. */
    @Override
    public long heldBytes() {
        return compressor.heldBytes() + decompressor.heldBytes();
    }

    @Override
    public void close() {
        // Both halves are freed even if one fails: each holds its own native memory.
        try {
            compressor.close();
        } finally {
            decompressor.close();
        }
    }

    @Override
    public String toString() {
        return "ZstdExtension[" + parameters + "]";
    }
}
