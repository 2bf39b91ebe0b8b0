package dev.weft.ext.zlib;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static dev.weft.ext.zlib.ZStream.Z_BUF_ERROR;
import static dev.weft.ext.zlib.ZStream.Z_OK;
import static dev.weft.ext.zlib.ZStream.call;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A raw DEFLATE {@link Compressor} on native zlib, with the window and memLevel asked for, which
 * the JDK's {@code Deflater} cannot choose. Exists only in the jar's {@code META-INF/versions/22}.
 * Not thread-safe: one thread uses it at a time.
 *
 * <p>Each call copies the payload into native memory and the output back, through memory of a
 * confined arena that the call frees: zlib keeps pointers into its input and output between calls
 * only when it ran out of output space, which the loop below gives it more of within the call.
 */
final class NativeDeflater implements Compressor {

    /** zlib.h's constants. */
    private static final int Z_SYNC_FLUSH = 2;
    private static final int Z_DEFLATED = 8;
    private static final int Z_DEFAULT_STRATEGY = 0;

    private final NativeZlibLibrary zlib;
    private final int windowBits;
    private final int memLevel;
    private final ZStream stream = new ZStream();

    NativeDeflater(NativeZlibLibrary zlib, int level, int windowBits, int memLevel) {
        this.zlib = zlib;
        this.windowBits = windowBits;
        this.memLevel = memLevel;
        // zlib.h: "windowBits can also be -8..-15 for raw deflate."
        int result = call(() -> (int) zlib.deflateInit2.invokeExact(stream.segment, level, Z_DEFLATED, -windowBits,
                memLevel, Z_DEFAULT_STRATEGY, zlib.version, ZStream.size()));
        if (result != Z_OK) {
            stream.free();
            throw new IllegalArgumentException("deflateInit2_ failed (" + result + ") for level " + level
                    + ", window bits " + windowBits + ", memLevel " + memLevel);
        }
    }

    @Override
    public ByteBuffer deflateFlushed(ByteBuffer payload) {
        int n = payload.remaining();
        byte[] out = new byte[Zlib.flushedBound(n)];
        int length = 0;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment in = call.allocate(Math.max(n, 1));
            MemorySegment.copy(MemorySegment.ofBuffer(payload), 0, in, 0, n);
            MemorySegment space = call.allocate(out.length);
            stream.input(in, n);
            while (true) {
                int room = (int) space.byteSize();
                stream.output(space, room);
                int result = call(() -> (int) zlib.deflate.invokeExact(stream.segment, Z_SYNC_FLUSH));
                // zlib.h: "Z_BUF_ERROR if no progress was possible", as for a flush with nothing new.
                if (result != Z_OK && result != Z_BUF_ERROR) {
                    throw new IllegalStateException("deflate failed: " + result);
                }
                int written = room - stream.availableOut();
                if (length + written > out.length) {
                    out = Arrays.copyOf(out, Math.max(out.length * 2, length + written));
                }
                MemorySegment.copy(space, JAVA_BYTE, 0, out, length, written);
                length += written;
                // zlib.h: "If deflate returns with avail_out == 0, this function must be called
                // again with the same value of the flush parameter and more output space".
                if (stream.availableOut() != 0) {
                    break;
                }
            }
        } finally {
            stream.detach();
        }
        payload.position(payload.limit());
        return ByteBuffer.wrap(out, 0, length);
    }

    @Override
    public void reset() {
        int result = call(() -> (int) zlib.deflateReset.invokeExact(stream.segment));
        if (result != Z_OK) {
            throw new IllegalStateException("deflateReset failed: " + result);
        }
    }

    @Override
    public int windowBits() {
        return windowBits;
    }

    @Override
    public long heldBytes() {
        return Zlib.deflaterBytes(windowBits, memLevel);
    }

    @Override
    public Path path() {
        return Path.NATIVE;
    }

    @Override
    public void end() {
        call(() -> (int) zlib.deflateEnd.invokeExact(stream.segment));
        stream.free();
    }
}
