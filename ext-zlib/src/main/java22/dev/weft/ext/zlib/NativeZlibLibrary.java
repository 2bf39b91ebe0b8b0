package dev.weft.ext.zlib;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * libz's compression and decompression functions, looked up once through the Foreign Function &amp; Memory API (JDK
 * 22). Exists only in the jar's {@code META-INF/versions/22}; {@link Zlib} loads it by name, and
 * the constructor fails if libz cannot be loaded or native access is denied. Thread-safe: the
 * handles are immutable and zlib's functions keep no global state.
 */
final class NativeZlibLibrary implements NativeZlib {

    /** Debian and most Linux distributions ship libz under its soname; other systems under "z". */
    private static final String[] NAMES = {"libz.so.1", "libz.dylib", "z"};

    final MethodHandle deflateInit2;
    final MethodHandle deflate;
    final MethodHandle deflateReset;
    final MethodHandle deflateEnd;
    final MethodHandle inflateInit2;
    final MethodHandle inflate;
    final MethodHandle inflateReset;
    final MethodHandle inflateEnd;
    /** zlibVersion(), which deflateInit2_ and inflateInit2_ check against the library's own (zlib.h's ZLIB_VERSION). */
    final MemorySegment version;

    NativeZlibLibrary() {
        // The library stays loaded for the JVM's life, as the JDK's own zip library does.
        SymbolLookup libz = load(Arena.global());
        Linker linker = Linker.nativeLinker();
        deflateInit2 = linker.downcallHandle(symbol(libz, "deflateInit2_"), FunctionDescriptor.of(JAVA_INT,
                ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        deflate = linker.downcallHandle(symbol(libz, "deflate"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        deflateReset = linker.downcallHandle(symbol(libz, "deflateReset"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        deflateEnd = linker.downcallHandle(symbol(libz, "deflateEnd"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        inflateInit2 = linker.downcallHandle(symbol(libz, "inflateInit2_"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        inflate = linker.downcallHandle(symbol(libz, "inflate"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        inflateReset = linker.downcallHandle(symbol(libz, "inflateReset"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        inflateEnd = linker.downcallHandle(symbol(libz, "inflateEnd"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle zlibVersion = linker.downcallHandle(symbol(libz, "zlibVersion"), FunctionDescriptor.of(ADDRESS));
        try {
            version = ((MemorySegment) zlibVersion.invokeExact()).reinterpret(64);
        } catch (Throwable t) {
            throw new IllegalStateException("zlibVersion failed", t);
        }
    }

    private static SymbolLookup load(Arena arena) {
        IllegalArgumentException last = null;
        for (String name : NAMES) {
            try {
                return SymbolLookup.libraryLookup(name, arena);
            } catch (IllegalArgumentException notFound) {
                last = notFound;
            }
        }
        throw last;
    }

    private static MemorySegment symbol(SymbolLookup libz, String name) {
        return libz.find(name).orElseThrow(() -> new IllegalArgumentException("libz has no " + name));
    }

    @Override
    public Compressor newDeflater(int level, int windowBits, int memLevel) {
        return new NativeDeflater(this, level, windowBits, memLevel);
    }

    @Override
    public Decompressor newInflater(int windowBits) {
        return new NativeInflater(this, windowBits);
    }
}
