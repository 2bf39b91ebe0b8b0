package dev.weft.ext.zlib;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A raw DEFLATE {@link Compressor} on native zlib, with the window and memLevel asked for, which
 * the JDK's {@code Deflater} cannot choose. Exists only in the jar's {@code META-INF/versions/22}.
 * Not thread-safe: one thread uses it at a time.
 *
 * <p>The {@code z_stream} lives in native memory of its own arena, ended with the stream. Each call
 * copies the payload into native memory and the output back, through memory of a confined arena
 * that the call frees: zlib keeps pointers into its input and output between calls only when it
 * ran out of output space, which the loop below gives it more of within the call.
 */
final class NativeDeflater implements Compressor {

    /** zlib.h's z_stream, on an LP64 platform (uInt is 32 bits, uLong and pointers 64). */
    private static final StructLayout Z_STREAM = MemoryLayout.structLayout(
            ADDRESS.withName("next_in"), JAVA_INT.withName("avail_in"), MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("total_in"),
            ADDRESS.withName("next_out"), JAVA_INT.withName("avail_out"), MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("total_out"),
            ADDRESS.withName("msg"), ADDRESS.withName("state"),
            ADDRESS.withName("zalloc"), ADDRESS.withName("zfree"), ADDRESS.withName("opaque"),
            JAVA_INT.withName("data_type"), MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("adler"), JAVA_LONG.withName("reserved"));
    private static final VarHandle NEXT_IN = field("next_in");
    private static final VarHandle AVAIL_IN = field("avail_in");
    private static final VarHandle NEXT_OUT = field("next_out");
    private static final VarHandle AVAIL_OUT = field("avail_out");

    /** zlib.h's constants. */
    private static final int Z_OK = 0;
    private static final int Z_BUF_ERROR = -5;
    private static final int Z_SYNC_FLUSH = 2;
    private static final int Z_DEFLATED = 8;
    private static final int Z_DEFAULT_STRATEGY = 0;

    private final NativeZlibLibrary zlib;
    private final int windowBits;
    private final int memLevel;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment stream;

    NativeDeflater(NativeZlibLibrary zlib, int level, int windowBits, int memLevel) {
        this.zlib = zlib;
        this.windowBits = windowBits;
        this.memLevel = memLevel;
        // Zeroed: zalloc, zfree and opaque null ask for zlib's own malloc and free.
        stream = arena.allocate(Z_STREAM);
        // zlib.h: "windowBits can also be -8..-15 for raw deflate."
        int result = call(() -> (int) zlib.deflateInit2.invokeExact(stream, level, Z_DEFLATED, -windowBits,
                memLevel, Z_DEFAULT_STRATEGY, zlib.version, (int) Z_STREAM.byteSize()));
        if (result != Z_OK) {
            arena.close();
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
            NEXT_IN.set(stream, 0L, in);
            AVAIL_IN.set(stream, 0L, n);
            while (true) {
                int room = (int) space.byteSize();
                NEXT_OUT.set(stream, 0L, space);
                AVAIL_OUT.set(stream, 0L, room);
                int result = call(() -> (int) zlib.deflate.invokeExact(stream, Z_SYNC_FLUSH));
                // zlib.h: "Z_BUF_ERROR if no progress was possible", as for a flush with nothing new.
                if (result != Z_OK && result != Z_BUF_ERROR) {
                    throw new IllegalStateException("deflate failed: " + result);
                }
                int written = room - (int) AVAIL_OUT.get(stream, 0L);
                if (length + written > out.length) {
                    out = Arrays.copyOf(out, Math.max(out.length * 2, length + written));
                }
                MemorySegment.copy(space, JAVA_BYTE, 0, out, length, written);
                length += written;
                // zlib.h: "If deflate returns with avail_out == 0, this function must be called
                // again with the same value of the flush parameter and more output space".
                if ((int) AVAIL_OUT.get(stream, 0L) != 0) {
                    break;
                }
            }
        } finally {
            // No pointer into the call's memory outlives it.
            NEXT_IN.set(stream, 0L, MemorySegment.NULL);
            NEXT_OUT.set(stream, 0L, MemorySegment.NULL);
        }
        payload.position(payload.limit());
        return ByteBuffer.wrap(out, 0, length);
    }

    @Override
    public void reset() {
        int result = call(() -> (int) zlib.deflateReset.invokeExact(stream));
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
        call(() -> (int) zlib.deflateEnd.invokeExact(stream));
        arena.close();
    }

    private static VarHandle field(String name) {
        return Z_STREAM.varHandle(groupElement(name));
    }

    /** A downcall; they throw nothing checked, but invokeExact is declared to throw anything. */
    private static int call(Downcall downcall) {
        try {
            return downcall.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private interface Downcall {
        int run() throws Throwable;
    }
}
