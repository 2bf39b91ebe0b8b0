package dev.weft.ext.zstd;

import dev.weft.api.Frame;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionEncoder;
import dev.weft.api.extension.ExtensionParameters;

/**
 * permessage-zstd as agreed for one connection: a {@link MessageCompressor} for what this end sends
 * and a {@link MessageDecompressor} for what it receives, with RSV1 marking compressed messages.
 * Not thread-safe: one connection uses it on one thread, as {@link Extension} allows;
 * {@link #newEncoder()} reads only final settings.
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
    public MessageCompressor encoder() {
        return compressor;
    }

    /** A compressed frame's output comes back in slices of at most 64 KiB. */
    @Override
    public MessageDecompressor decoder() {
        return decompressor;
    }

    /** True when this end compresses with no context takeover: each message a whole zstd frame. */
    @Override
    public boolean encodesWithoutHistory() {
        return compressor.resetsAfterMessage();
    }

    @Override
    public ExtensionEncoder newEncoder() {
        if (!encodesWithoutHistory()) {
            throw new UnsupportedOperationException("this end uses context takeover: " + parameters);
        }
        return compressor.copySettings();
    }

    /** How many bytes the incoming message in progress has decompressed to so far. */
    long decompressedMessageSize() {
        return decompressor.messageSize();
    }

    /** How many times the decompressor has replaced an output array by a larger copy. */
    long decompressorGrowths() {
        return decompressor.growths();
    }

    @Override
    public String toString() {
        return "ZstdExtension[" + parameters + "]";
    }
}
