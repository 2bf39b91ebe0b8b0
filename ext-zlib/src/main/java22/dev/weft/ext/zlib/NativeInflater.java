package dev.weft.ext.zlib;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;

import static dev.weft.ext.zlib.ZStream.Z_BUF_ERROR;
import static dev.weft.ext.zlib.ZStream.Z_DATA_ERROR;
import static dev.weft.ext.zlib.ZStream.Z_NEED_DICT;
import static dev.weft.ext.zlib.ZStream.Z_OK;
import static dev.weft.ext.zlib.ZStream.Z_STREAM_END;
import static dev.weft.ext.zlib.ZStream.call;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A raw DEFLATE {@link Decompressor} on native zlib with the window asked for: it holds
 * 2<sup>windowBits</sup> bytes of history where the JDK's {@code Inflater} always holds 32 KiB, and
 * fails data that refers back further ("invalid distance too far back"). Exists only in the jar's
 * {@code META-INF/versions/22}. Not thread-safe: one thread uses it at a time.
 *
 * <p>Each call copies at most {@link #INPUT_CHUNK} bytes of input into native memory and the output
 * back, through memory of a confined arena that the call frees, and moves the input's position past
 * what zlib used, as the JDK's {@code Inflater} does; what it left is copied again next call. Within
 * one call zlib also lets a back-reference reach into that call's own output, so data that refers
 * further back than the window is refused only where it reaches past both; between calls it keeps
 * the window only, which is what bounds its memory.
 */
final class NativeInflater implements Decompressor {

    /** The most input one call copies: bounds the copying when a little input inflates to a lot. */
    private static final int INPUT_CHUNK = 16 * 1024;
    /** zlib.h: "Z_SYNC_FLUSH requests that inflate() flush as much output as possible". */
    private static final int Z_SYNC_FLUSH = 2;

    private final NativeZlibLibrary zlib;
    private final int windowBits;
    private final ZStream stream = new ZStream();
    private ByteBuffer input;
    private boolean finished;

    NativeInflater(NativeZlibLibrary zlib, int windowBits) {
        this.zlib = zlib;
        this.windowBits = windowBits;
        // zlib.h: "windowBits can also be -8..-15 for raw inflate. [...] inflate() will then process
        // raw deflate data, not looking for a zlib or gzip header".
        int result = call(() -> (int) zlib.inflateInit2.invokeExact(stream.segment, -windowBits, zlib.version,
                ZStream.size()));
        if (result != Z_OK) {
            stream.free();
            throw new IllegalArgumentException("inflateInit2_ failed (" + result + ") for window bits " + windowBits);
        }
    }

    @Override
    public void setInput(ByteBuffer input) {
        this.input = input;
    }

    @Override
    public boolean needsInput() {
        return input == null || !input.hasRemaining();
    }

    @Override
    public int inflate(byte[] out, int offset, int length) throws DataFormatException {
        if (finished || needsInput() || length == 0) {
            return 0;
        }
        int n = Math.min(input.remaining(), INPUT_CHUNK);
        int result;
        int used;
        int written;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment in = call.allocate(n);
            MemorySegment.copy(MemorySegment.ofBuffer(input), 0, in, 0, n);
            MemorySegment space = call.allocate(length);
            stream.input(in, n);
            stream.output(space, length);
            result = call(() -> (int) zlib.inflate.invokeExact(stream.segment, Z_SYNC_FLUSH));
            used = n - stream.availableIn();
            written = length - stream.availableOut();
            MemorySegment.copy(space, JAVA_BYTE, 0, out, offset, written);
        } finally {
            stream.detach();
        }
        input.position(input.position() + used);
        switch (result) {
            case Z_STREAM_END -> finished = true;
            case Z_OK, Z_BUF_ERROR -> {
                // Given input and space, zlib uses some or writes some: a call that did neither
                // would repeat forever.
                if (used == 0 && written == 0) {
                    throw new DataFormatException("inflate made no progress: " + result);
                }
            }
            // A raw stream has no dictionary id: "Z_NEED_DICT if a preset dictionary is needed" is
            // zlib reading a header it was told is not there, which cannot happen; taken as bad data.
            case Z_DATA_ERROR, Z_NEED_DICT -> throw new DataFormatException(stream.message(result));
            default -> throw new IllegalStateException("inflate failed: " + stream.message(result));
        }
        return written;
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public void reset() {
        int result = call(() -> (int) zlib.inflateReset.invokeExact(stream.segment));
        if (result != Z_OK) {
            throw new IllegalStateException("inflateReset failed: " + result);
        }
        input = null;
        finished = false;
    }

    @Override
    public int windowBits() {
        return windowBits;
    }

    @Override
    public long heldBytes() {
        return Zlib.inflaterBytes(windowBits);
    }

    @Override
    public Compressor.Path path() {
        return Compressor.Path.NATIVE;
    }

    @Override
    public void end() {
        call(() -> (int) zlib.inflateEnd.invokeExact(stream.segment));
        stream.free();
        input = null;
    }
}
