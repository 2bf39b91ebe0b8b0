package dev.weft.ext.zlib;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * zlib.h's {@code z_stream} in native memory of its own arena, freed with the stream, for
 * {@link NativeDeflater} and {@link NativeInflater} alike. Exists only in the jar's
 * {@code META-INF/versions/22}. Not thread-safe.
 *
 * <p>Each call points the stream at input and output in memory of a confined arena that the call
 * frees, and {@link #detach()} clears those pointers after it: zlib keeps pointers into its input
 * and output between calls only to resume where it stopped, and both users start every call afresh.
 */
final class ZStream {

    /** zlib.h's z_stream, on an LP64 platform (uInt is 32 bits, uLong and pointers 64). */
    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
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
    private static final VarHandle MSG = field("msg");
    /** The longest error message read from {@code msg}; zlib's are short constant strings. */
    private static final int LONGEST_MESSAGE = 200;

    /** zlib.h's return codes. */
    static final int Z_OK = 0;
    static final int Z_STREAM_END = 1;
    static final int Z_NEED_DICT = 2;
    static final int Z_DATA_ERROR = -3;
    static final int Z_BUF_ERROR = -5;

    private final Arena arena = Arena.ofShared();
    /** The struct, zeroed: zalloc, zfree and opaque null ask for zlib's own malloc and free. */
    final MemorySegment segment = arena.allocate(LAYOUT);

    /** The struct's size, which the init functions check against the library's own. */
    static int size() {
        return (int) LAYOUT.byteSize();
    }

    void input(MemorySegment in, int length) {
        NEXT_IN.set(segment, 0L, in);
        AVAIL_IN.set(segment, 0L, length);
    }

    void output(MemorySegment out, int length) {
        NEXT_OUT.set(segment, 0L, out);
        AVAIL_OUT.set(segment, 0L, length);
    }

    /** Input bytes not used by the last call. */
    int availableIn() {
        return (int) AVAIL_IN.get(segment, 0L);
    }

    /** Output space not filled by the last call. */
    int availableOut() {
        return (int) AVAIL_OUT.get(segment, 0L);
    }

    /** Clears the pointers into a call's memory, so none outlives it. */
    void detach() {
        NEXT_IN.set(segment, 0L, MemorySegment.NULL);
        NEXT_OUT.set(segment, 0L, MemorySegment.NULL);
    }

    /** zlib's message for the last error, or the code if it set none. */
    String message(int result) {
        MemorySegment msg = (MemorySegment) MSG.get(segment, 0L);
        return msg.equals(MemorySegment.NULL) ? "zlib error " + result
                : msg.reinterpret(LONGEST_MESSAGE).getString(0);
    }

    /** Frees the struct; zlib's own state must have been ended first. */
    void free() {
        arena.close();
    }

    private static VarHandle field(String name) {
        return LAYOUT.varHandle(groupElement(name));
    }

    /** A downcall; they throw nothing checked, but invokeExact is declared to throw anything. */
    static int call(Downcall downcall) {
        try {
            return downcall.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    interface Downcall {
        int run() throws Throwable;
    }
}
