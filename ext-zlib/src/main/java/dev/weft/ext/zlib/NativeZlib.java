package dev.weft.ext.zlib;

/**
 * Native zlib, where the running JDK can call it: implemented only in this module's
 * {@code META-INF/versions/22} classes, on the Foreign Function &amp; Memory API, and loaded by
 * {@link Zlib} by name after checking the JDK's version. Thread-safe.
 */
interface NativeZlib {

    /**
     * A raw DEFLATE compressor on libz.
     *
     * @param windowBits 9 to 15
     * @param memLevel 1 to 9
     */
    Compressor newDeflater(int level, int windowBits, int memLevel);

    /**
     * A raw DEFLATE decompressor on libz.
     *
     * @param windowBits 9 to 15
     */
    Decompressor newInflater(int windowBits);
}
