package dev.weft.transport.nio.loop;

import java.nio.ByteBuffer;

/**
 * What an event loop lends its connections while they have bytes queued: stages and write rings.
 * <ul>
 * <li>A stage is a buffer a connection copies its small writes into (frame headers, small
 *     payloads), so that they leave together in one run of bytes, from direct memory the kernel
 *     takes without the JDK copying it first.</li>
 * <li>A ring holds what a queue tracks: its buffers in order, and the futures of its writes.</li>
 * </ul>
 * A connection borrows them with its first queued write and gives them back once its queue is
 * empty, so an idle connection holds neither, and a loop keeps only a few. Loop thread only.
 */
final class Stages {

    /** Bytes per stage: a batch of echoes of small messages, or one TLS record. */
    static final int SIZE = 16 * 1024;
    /** Stages and rings kept for reuse; beyond these, more are made and left to the collector. */
    private static final int RETAINED = 8;

    private final ByteBuffer[] stages = new ByteBuffer[RETAINED];
    private int stageCount;
    private int directMade;
    private final WriteRing[] rings = new WriteRing[RETAINED];
    private int ringCount;

    /** An empty stage, limit 0: its queued bytes lie between its position and its limit. */
    ByteBuffer take() {
        if (stageCount > 0) {
            ByteBuffer stage = stages[--stageCount];
            stages[stageCount] = null;
            return stage.clear().limit(0);
        }
        if (directMade < RETAINED) {
            directMade++;
            return ByteBuffer.allocateDirect(SIZE).limit(0);
        }
        // Direct memory stays bounded by RETAINED stages per loop, whatever the load.
        return ByteBuffer.allocate(SIZE).limit(0);
    }

    /** Takes back a stage whose bytes have all been written or moved. */
    void give(ByteBuffer stage) {
        if (stage.isDirect() && stageCount < RETAINED) {
            stages[stageCount++] = stage;
        }
    }

    /** An empty ring. */
    WriteRing takeRing() {
        if (ringCount > 0) {
            WriteRing ring = rings[--ringCount];
            rings[ringCount] = null;
            return ring;
        }
        return new WriteRing();
    }

    /** Takes back an empty ring. */
    void give(WriteRing ring) {
        if (ringCount < RETAINED && ring.isEmpty()) {
            rings[ringCount++] = ring;
        }
    }
}
