package dev.weft.ext.zlib;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** A {@link Decompressor} on the JDK's raw {@code Inflater}: a 32 KiB window, which reads any. Not thread-safe. */
final class JdkDecompressor implements Decompressor {

    private final Inflater inflater = new Inflater(true);

    @Override
    public void setInput(ByteBuffer input) {
        inflater.setInput(input);
    }

    @Override
    public boolean needsInput() {
        return inflater.needsInput();
    }

    @Override
    public int inflate(byte[] out, int offset, int length) throws DataFormatException {
        return inflater.inflate(out, offset, length);
    }

    @Override
    public boolean finished() {
        return inflater.finished();
    }

    @Override
    public void reset() {
        inflater.reset();
    }

    @Override
    public int windowBits() {
        return Zlib.MAX_WINDOW_BITS;
    }

    @Override
    public long heldBytes() {
        return Zlib.INFLATER_BYTES;
    }

    @Override
    public Compressor.Path path() {
        return Compressor.Path.JDK;
    }

    @Override
    public void end() {
        inflater.end();
    }
}
