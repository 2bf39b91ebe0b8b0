package dev.weft.ext.zlib;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;

/** A {@link Compressor} on the JDK's raw {@code Deflater}: window bits 15, memLevel 8. Not thread-safe. */
final class JdkCompressor implements Compressor {

    private final Deflater deflater;

    JdkCompressor(int level) {
        this.deflater = new Deflater(level, true);
    }

    @Override
    public ByteBuffer deflateFlushed(ByteBuffer payload) {
        deflater.setInput(payload);
        // Room for incompressible data as stored blocks plus the flush, so one call usually does.
        byte[] out = new byte[Zlib.flushedBound(payload.remaining())];
        int length = 0;
        while (true) {
            length += deflater.deflate(out, length, out.length - length, Deflater.SYNC_FLUSH);
            // Deflater: if the output space was filled, "this method should be invoked again with the
            // same flush parameter and more output space".
            if (length < out.length) {
                return ByteBuffer.wrap(out, 0, length);
            }
            out = Arrays.copyOf(out, out.length * 2);
        }
    }

    @Override
    public void reset() {
        deflater.reset();
    }

    @Override
    public int windowBits() {
        return Zlib.MAX_WINDOW_BITS;
    }

    @Override
    public long heldBytes() {
        return Zlib.DEFLATER_BYTES;
    }

    @Override
    public Path path() {
        return Path.JDK;
    }

    @Override
    public void end() {
        deflater.end();
    }
}
