package dev.weft.core.frame;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Records decoded frames whole, for assertions. */
class RecordingListener implements FrameDecoder.Listener {

    final List<Frame> frames = new ArrayList<>();
    int payloadCalls;
    private boolean fin;
    private int rsv;
    private Opcode opcode;
    private long declared;
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();

    @Override
    public void onFrameHeader(boolean fin, int rsv, Opcode opcode, long payloadLength) {
        this.fin = fin;
        this.rsv = rsv;
        this.opcode = opcode;
        this.declared = payloadLength;
        payload.reset();
    }

    @Override
    public void onFramePayload(ByteBuffer chunk) {
        payloadCalls++;
        byte[] b = new byte[chunk.remaining()];
        chunk.get(chunk.position(), b);
        payload.writeBytes(b);
    }

    @Override
    public boolean onFrameEnd() {
        if (payload.size() != declared) {
            throw new AssertionError("payload " + payload.size() + " != declared " + declared);
        }
        frames.add(new Frame(fin, rsv, opcode, ByteBuffer.wrap(payload.toByteArray())));
        return true;
    }
}
