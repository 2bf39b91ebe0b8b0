package dev.weft.core.session;

import dev.weft.api.Frame;
import dev.weft.api.FrameObserver;
import dev.weft.api.Opcode;
import dev.weft.api.PartialMessageHandler;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.core.extension.ExtensionChain;
import dev.weft.core.frame.FrameDecoder;
import dev.weft.core.message.MessageAssembler;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * Routes decoded frames inside a {@link Session}: control frames to the session, data frames to the
 * message assembler, messages to the handler. Not thread safe.
 *
 * <p>A data frame streams straight into the assembler chunk by chunk, unless an extension or a
 * {@link FrameObserver} needs it whole; then it is gathered first (bounded by the maximum frame
 * size). Control frames are always gathered: they hold at most 125 bytes.
 */
final class Inbound implements FrameDecoder.Listener, MessageAssembler.Sink {

    /** A frame buffer up to this size is kept for the next frame; a larger one is let go. */
    private static final int RETAINED_BUFFER = 64 * 1024;

    private final Session session;
    private final WebSocketHandler handler;
    private final PartialMessageHandler partialHandler;
    private final FrameObserver observer;
    private final ExtensionChain extensions;
    private final MessageAssembler assembler;
    private final boolean gatherDataFrames;
    // Made once per connection, so delivering a whole message allocates nothing but its payload.
    private final BiConsumer<Session, String> textCallback;
    private final BiConsumer<Session, ByteBuffer> binaryCallback;

    private boolean fin;
    private int rsv;
    private Opcode opcode;
    private boolean gathering;
    /** Where a frame is gathered whole; empty until the first such frame, so idle connections hold none. */
    private byte[] frame = new byte[0];
    private int frameLength;

    Inbound(Session session, WebSocketHandler handler, ExtensionChain extensions, WebSocketConfig config) {
        this.session = session;
        this.handler = handler;
        this.partialHandler = handler instanceof PartialMessageHandler p ? p : null;
        this.observer = handler instanceof FrameObserver o ? o : null;
        this.extensions = extensions;
        this.gatherDataFrames = !extensions.isEmpty() || observer != null;
        this.textCallback = handler::onText;
        this.binaryCallback = handler::onBinary;
        this.assembler = new MessageAssembler(config.maxMessageSize(), config.maxFragmentsPerMessage(),
                partialHandler != null, this);
    }

    @Override
    public void onFrameHeader(boolean fin, int rsv, Opcode opcode, long payloadLength) {
        this.fin = fin;
        this.rsv = rsv;
        this.opcode = opcode;
        if (!opcode.isControl()) {
            // Fragmentation errors are found here, before any payload is read.
            assembler.checkStart(opcode);
        }
        gathering = opcode.isControl() || gatherDataFrames;
        if (gathering) {
            frameLength = 0;
            if (payloadLength > frame.length) {
                frame = new byte[(int) Math.max(payloadLength, 125)];
            }
        } else {
            assembler.beginFrame(opcode, fin, payloadLength);
        }
    }

    @Override
    public void onFramePayload(ByteBuffer chunk) {
        if (session.inputClosed()) {
            return;
        }
        if (gathering) {
            int n = chunk.remaining();
            chunk.get(chunk.position(), frame, frameLength, n);
            frameLength += n;
        } else {
            assembler.append(chunk);
        }
    }

    @Override
    public boolean onFrameEnd() {
        if (session.inputClosed()) {
            return false;
        }
        if (gathering) {
            onWholeFrame(ByteBuffer.wrap(frame, 0, frameLength));
            if (frame.length > RETAINED_BUFFER) {
                frame = new byte[0];
            }
        } else {
            assembler.endFrame();
        }
        return !session.inputClosed();
    }

    private void onWholeFrame(ByteBuffer payload) {
        boolean fin = this.fin;
        Opcode opcode = this.opcode;
        if (!extensions.isEmpty() || observer != null) {
            Frame decoded = extensions.decode(new Frame(fin, rsv, opcode, payload));
            if (observer != null) {
                // Off the loop thread, the frame must not share the reused gathering buffer.
                Frame seen = session.dispatchesCallbacks() ? decoded.withPayload(copy(decoded.payload())) : decoded;
                session.invoke(() -> observer.onFrame(session, seen));
                if (session.inputClosed()) {
                    return;
                }
            }
            fin = decoded.fin();
            opcode = decoded.opcode();
            payload = decoded.payload();
        }
        if (opcode.isControl()) {
            session.onControlFrame(opcode, payload);
        } else {
            assembler.beginFrame(opcode, fin, payload.remaining());
            assembler.append(payload);
            assembler.endFrame();
        }
    }

    // ---------------------------------------------------------------- MessageAssembler.Sink

    @Override
    public void onText(String text) {
        session.messageReceived();
        session.invoke(textCallback, text);
    }

    @Override
    public void onBinary(ByteBuffer data) {
        session.messageReceived();
        session.invoke(binaryCallback, data);
    }

    @Override
    public void onTextPart(String part, boolean last) {
        if (last) {
            session.messageReceived();
        }
        session.invoke(() -> partialHandler.onTextPart(session, part, last));
    }

    @Override
    public void onBinaryPart(ByteBuffer part, boolean last) {
        if (last) {
            session.messageReceived();
        }
        session.invoke(() -> partialHandler.onBinaryPart(session, part, last));
    }

    private static ByteBuffer copy(ByteBuffer src) {
        ByteBuffer out = ByteBuffer.allocate(src.remaining());
        out.put(src.duplicate());
        return out.flip();
    }
}
