package dev.weft.core.simd;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** Memory segments over buffers, for the vector loops. */
public final class Segments {

    /**
     * Direct buffers up to this capacity keep their segment, one per thread: an event loop's read
     * buffer, into which every frame of its connections arrives, then costs no segment per frame.
     */
    private static final int KEPT_CAPACITY = 1 << 20;
    private static final ThreadLocal<Last> LAST = ThreadLocal.withInitial(Last::new);

    /** The last direct buffer a thread asked for, and its segment. */
    private static final class Last {
        ByteBuffer buffer;
        MemorySegment segment;
    }

    private Segments() {
    }

    /**
     * The bytes of {@code buffer} from index 0 to at least its limit, heap or direct, so that the
     * absolute indexes of a buffer are offsets into the segment.
     */
    public static MemorySegment upToLimit(ByteBuffer buffer) {
        if (!buffer.isDirect() || buffer.capacity() > KEPT_CAPACITY) {
            return whole(buffer);
        }
        Last last = LAST.get();
        if (last.buffer != buffer) {
            last.segment = whole(buffer);
            last.buffer = buffer;
        }
        return last.segment;
    }

    /** From index 0 to the capacity: a segment starts at its buffer's position and ends at its limit. */
    private static MemorySegment whole(ByteBuffer buffer) {
        return MemorySegment.ofBuffer(buffer.duplicate().clear());
    }
}
