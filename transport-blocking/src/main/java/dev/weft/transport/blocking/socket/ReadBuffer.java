package dev.weft.transport.blocking.socket;

import java.nio.ByteBuffer;

/**
 * What a blocking connection reads into. A thread blocked in a read holds its buffer for as long
 * as the peer is silent, so an idle connection should hold a small one: it starts small, doubles
 * while reads fill it, and goes back to small after a run of reads that used little of it.
 */
final class ReadBuffer {

    static final int MIN = 1024;
    static final int MAX = 64 * 1024;
    /** Reads in a row that used under an eighth of a large buffer before it is given up. */
    private static final int SMALL_READS_BEFORE_SHRINKING = 16;

    private ByteBuffer buffer = ByteBuffer.allocate(MIN);
    private int smallReads;

    /** The buffer, cleared, to read into. */
    ByteBuffer forRead() {
        return buffer.clear();
    }

    /** A read of {@code n} bytes into it is over (and decoded): size it for the next. */
    void afterRead(int n) {
        int capacity = buffer.capacity();
        if (n == capacity && capacity < MAX) {
            buffer = ByteBuffer.allocate(capacity * 2);
            smallReads = 0;
        } else if (capacity > MIN && n < capacity / 8) {
            if (++smallReads >= SMALL_READS_BEFORE_SHRINKING) {
                buffer = ByteBuffer.allocate(MIN);
                smallReads = 0;
            }
        } else {
            smallReads = 0;
        }
    }
}
