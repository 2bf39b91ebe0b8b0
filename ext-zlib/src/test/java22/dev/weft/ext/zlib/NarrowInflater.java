package dev.weft.ext.zlib;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A peer's decompressor limited to a window of 2<sup>N</sup> bytes: native zlib's raw inflate
 * with windowBits N, which fails with "invalid distance too far back" on a back-reference beyond
 * its window. The JDK's Inflater cannot be limited so. Within one call zlib also refers back into
 * that call's output, so output space is given one byte per call: then the window is all the
 * history there is.
 */
final class NarrowInflater {

    private static final int Z_SYNC_FLUSH = 2;
    private static final int Z_BUF_ERROR = -5;
    private static final long Z_STREAM_SIZE = 112;
    private static final long NEXT_IN = 0;
    private static final long AVAIL_IN = 8;
    private static final long NEXT_OUT = 24;
    private static final long AVAIL_OUT = 32;
    private static final long MSG = 48;

    private NarrowInflater() {
    }

    /**
     * Inflates {@code data} (flushed, not finished) with a window of {@code windowBits}.
     *
     * @throws IllegalStateException with zlib's message if it cannot
     */
    static byte[] inflate(byte[] data, int windowBits, int expectedLength) throws Throwable {
        Linker linker = Linker.nativeLinker();
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup libz = SymbolLookup.libraryLookup("libz.so.1", arena);
            MethodHandle init = linker.downcallHandle(libz.find("inflateInit2_").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
            MethodHandle inflate = linker.downcallHandle(libz.find("inflate").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            MethodHandle end = linker.downcallHandle(libz.find("inflateEnd").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS));
            MethodHandle version = linker.downcallHandle(libz.find("zlibVersion").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS));
            MemorySegment stream = arena.allocate(MemoryLayout.sequenceLayout(Z_STREAM_SIZE, JAVA_BYTE));
            int r = (int) init.invokeExact(stream, -windowBits, (MemorySegment) version.invokeExact(), (int) Z_STREAM_SIZE);
            if (r != 0) {
                throw new IllegalStateException("inflateInit2_: " + r);
            }
            MemorySegment in = arena.allocateFrom(JAVA_BYTE, data);
            MemorySegment out = arena.allocate(expectedLength + 1L);
            stream.set(ADDRESS, NEXT_IN, in);
            stream.set(JAVA_INT, AVAIL_IN, data.length);
            long produced = 0;
            do {
                stream.set(ADDRESS, NEXT_OUT, out.asSlice(produced));
                stream.set(JAVA_INT, AVAIL_OUT, 1);
                r = (int) inflate.invokeExact(stream, Z_SYNC_FLUSH);
                produced += 1 - stream.get(JAVA_INT, AVAIL_OUT);
            } while (r == 0 && produced <= expectedLength);
            // Z_BUF_ERROR: the input is used up, as it is after a flushed, unfinished stream.
            boolean failed = r < 0 && r != Z_BUF_ERROR;
            String msg = failed ? stream.get(ADDRESS, MSG).reinterpret(200).getString(0) : null;
            int ended = (int) end.invokeExact(stream);
            if (failed || ended != 0) {
                throw new IllegalStateException("inflate: " + r + " " + msg);
            }
            return out.asSlice(0, produced).toArray(JAVA_BYTE);
        }
    }

    static {
        // Offsets above are z_stream's on LP64.
        if (JAVA_LONG.byteSize() != 8 || ADDRESS.byteSize() != 8) {
            throw new IllegalStateException("not an LP64 platform");
        }
    }
}
