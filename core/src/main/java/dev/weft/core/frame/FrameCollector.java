package dev.weft.core.frame;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * A {@link FrameDecoder.Listener} that gathers each frame whole, payload copied, for tests and
 * tools that want frames as values rather than as a stream. Frames may arrive split across any
 * number of {@code decode} calls. Not thread safe.
 */
public final class FrameCollector implements FrameDecoder.Listener {

    private final Queue<Frame> frames = new ArrayDeque<>();
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
    private boolean fin;
    private int rsv;
    private Opcode opcode;

    /** A collector with no frames yet. */
    public FrameCollector() {
    }

    /** The frames gathered and not taken yet, oldest first; take them with {@code poll()}. */
    public Queue<Frame> frames() {
        return frames;
    }

    @Override
    public void onFrameHeader(boolean fin, int rsv, Opcode opcode, long payloadLength) {
        this.fin = fin;
        this.rsv = rsv;
        this.opcode = opcode;
        payload.reset();
    }

    @Override
    public void onFramePayload(ByteBuffer chunk) {
        byte[] b = new byte[chunk.remaining()];
        chunk.get(chunk.position(), b);
        payload.writeBytes(b);
    }

    @Override
    public boolean onFrameEnd() {
        frames.add(new Frame(fin, rsv, opcode, ByteBuffer.wrap(payload.toByteArray())));
        return true;
    }
}
