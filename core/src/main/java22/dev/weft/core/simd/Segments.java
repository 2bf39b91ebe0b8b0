package dev.weft.core.simd;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** Memory segments over buffers, for the vector loops. */
public final class Segments {

    private Segments() {
    }

    /**
     * The bytes of {@code buffer} from index 0 to its limit, heap or direct, so that the absolute
     * indexes of a buffer are offsets into the segment. A segment starts at its buffer's position,
     * hence the duplicate when that is not 0.
     */
    public static MemorySegment upToLimit(ByteBuffer buffer) {
        return MemorySegment.ofBuffer(buffer.position() == 0 ? buffer : buffer.duplicate().position(0));
    }
}
