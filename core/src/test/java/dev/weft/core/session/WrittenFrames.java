package dev.weft.core.session;

import dev.weft.api.CloseCodes;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.core.frame.FrameDecoder;
import dev.weft.core.frame.ProtocolViolationException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reads what a session wrote as its peer would, with a {@link FrameDecoder} of the other role, and
 * checks it: well-formed frames only (masked by a client, not by a server, RSV bits only of the
 * agreed extensions), data frames in order (no continuation outside a message, no new message
 * inside one), valid close frames, and nothing after the close frame. Any length is accepted: the
 * peer's limits are not the session's concern.
 */
final class WrittenFrames implements FrameDecoder.Listener {

    private final FrameDecoder decoder;
    private final List<String> violations;
    private Opcode opcode;
    private boolean fin;
    private boolean inMessage;
    private boolean closeSeen;
    private int closeCode = -1;
    private String closeReason;
    private final byte[] control = new byte[125];
    private int controlLength;
    /** The data frames' payloads, all in a row, and how many messages ended. */
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private int messages;

    /**
     * @param sessionRole the role of the session that wrote
     * @param rsv the reserved bits its agreed extensions claim
     * @param violations where broken rules are recorded
     */
    WrittenFrames(Role sessionRole, int rsv, List<String> violations) {
        this.decoder = new FrameDecoder(sessionRole == Role.SERVER ? Role.CLIENT : Role.SERVER, Integer.MAX_VALUE);
        this.decoder.allowRsv(rsv);
        this.violations = violations;
    }

    /** Reads the next bytes the session wrote. */
    void read(byte[] bytes) {
        try {
            decoder.decode(ByteBuffer.wrap(bytes), this);
        } catch (ProtocolViolationException e) {
            violations.add("the session wrote a malformed frame: " + e.getMessage());
        }
    }

    /** Whether the output ended on a frame boundary. */
    boolean complete() {
        return decoder.isAtFrameBoundary();
    }

    /** The code of the close frame written, 1005 if it had none, or -1 if none was written. */
    int closeCode() {
        return closeCode;
    }

    /** The payload bytes of every data frame written, in a row (as sent: compressed, if an extension compresses). */
    byte[] data() {
        return data.toByteArray();
    }

    /** How many data messages were written whole (their final frame). */
    int messages() {
        return messages;
    }

    /** The reason of the close frame written, or null. */
    String closeReason() {
        return closeReason;
    }

    @Override
    public void onFrameHeader(boolean fin, int rsv, Opcode opcode, long payloadLength) {
        if (closeSeen) {
            violations.add("a " + opcode + " frame written after the close frame");
        }
        this.opcode = opcode;
        this.fin = fin;
        controlLength = 0;
        if (opcode == Opcode.CONTINUATION && !inMessage) {
            violations.add("a continuation frame written outside a message");
        } else if (!opcode.isControl() && opcode != Opcode.CONTINUATION && inMessage) {
            violations.add("a new " + opcode + " message written inside a fragmented one");
        }
    }

    @Override
    public void onFramePayload(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (opcode.isControl()) {
            chunk.get(chunk.position(), control, controlLength, n);
            controlLength += n;
        } else {
            byte[] b = new byte[n];
            chunk.get(chunk.position(), b);
            data.writeBytes(b);
        }
    }

    @Override
    public boolean onFrameEnd() {
        if (!opcode.isControl()) {
            inMessage = !fin;
            if (fin) {
                messages++;
            }
        } else if (opcode == Opcode.CLOSE) {
            closeSeen = true;
            try {
                CloseFrame close = CloseFrame.parse(ByteBuffer.wrap(control, 0, controlLength));
                closeCode = close.code();
                closeReason = close.reason();
            } catch (ProtocolViolationException e) {
                violations.add("the session wrote an invalid close frame: " + e.getMessage());
                closeCode = CloseCodes.PROTOCOL_ERROR;
                closeReason = "";
            }
        }
        return true;
    }
}
