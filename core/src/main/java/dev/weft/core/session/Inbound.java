package dev.weft.core.session;

import dev.weft.api.Connection;
import dev.weft.api.Frame;
import dev.weft.api.FrameObserver;
import dev.weft.api.Opcode;
import dev.weft.api.PartialMessageHandler;
import dev.weft.api.Utf8TextHandler;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.metrics.ConnectionMetrics;
import dev.weft.core.extension.ExtensionChain;
import dev.weft.core.frame.FrameDecoder;
import dev.weft.core.frame.ProtocolViolation;
import dev.weft.core.message.Capacity;
import dev.weft.core.message.MessageAssembler;

import java.nio.ByteBuffer;

/**
 * Routes decoded frames inside a {@link Session}: pings and pongs to the handler (a ping answered
 * through {@link Outbound}), a close frame to the session's close dance, data frames to the message
 * assembler, messages to the handler. Loop-confined.
 *
 * <p>A data frame streams straight into the assembler chunk by chunk, unless an extension or a
 * {@link FrameObserver} needs it whole; then it is gathered first, in a buffer that grows with the
 * bytes that arrived (bounded by the maximum frame size). Control frames are always gathered: they
 * hold at most 125 bytes.
 *
 * <p>An extension may hand back a frame's output in slices. Then {@link #onFrameEnd} stops the
 * decoder after the first slice, {@link #decodePending()} turns true, and the session asks for
 * each next slice with {@link #nextSlice()} on later turns of its loop.
 */
final class Inbound implements FrameDecoder.Listener, MessageAssembler.Sink {

    /** Where a close frame from the peer goes: the session's close dance. */
    interface CloseFrames {
        void closeFrame(CloseFrame close);
    }

    /** A frame buffer up to this size is kept for the next frame; a larger one is let go. */
    private static final int RETAINED_BUFFER = 64 * 1024;

    // Shared by every connection, so delivering a whole message allocates nothing but its payload.
    private static final Callbacks.Delivery<String> TEXT = WebSocketHandler::onText;
    private static final Callbacks.Delivery<ByteBuffer> BINARY = WebSocketHandler::onBinary;
    private static final Callbacks.Delivery<ByteBuffer> UTF8_TEXT =
            (handler, connection, utf8) -> ((Utf8TextHandler) handler).onUtf8Text(connection, utf8);
    /** Shared by every connection that holds no bytes: most are idle. */
    private static final byte[] NO_BYTES = new byte[0];

    private final WebSocketConfig config;
    private final SessionState state;
    private final Callbacks callbacks;
    private final Connection connection;
    private final ConnectionMetrics metrics;
    private final Outbound outbound;
    private final CloseFrames closeFrames;
    private final WebSocketHandler handler;
    private final PartialMessageHandler partialHandler;
    private final FrameObserver observer;
    private final ExtensionChain extensions;
    private final MessageAssembler assembler;
    private final boolean gatherDataFrames;
    private final int maxFragments;
    private final boolean timesMessages;

    private boolean fin;
    private int rsv;
    private Opcode opcode;
    /** Wire frames of the data message in progress: slices an extension makes do not count. */
    private int fragments;
    private boolean gathering;
    private long declaredLength;
    /** Whether an extension has output left for the frame last decoded. */
    private boolean decodePending;
    /** Frames the extensions handed on for the current message: more than its wire frames when sliced. */
    private int slices;
    /** Whether the peer has started a data message and not yet sent its final frame whole. */
    private boolean messageOpen;
    private long messagesStarted;
    private long messageStartNanos;
    /** When the input being decoded arrived, on the session's clock. */
    private long inputNanos;
    /** Where a frame is gathered whole; empty until the first such frame, so idle connections hold none. */
    private byte[] frame = NO_BYTES;
    private int frameLength;

    /**
     * @param outbound answers pings
     * @param closeFrames takes a close frame from the peer
     */
    Inbound(WebSocketHandler handler, ExtensionChain extensions, WebSocketConfig config, SessionState state,
            Callbacks callbacks, ConnectionMetrics metrics, Outbound outbound, CloseFrames closeFrames) {
        this.config = config;
        this.state = state;
        this.callbacks = callbacks;
        this.connection = callbacks.connection();
        this.metrics = metrics;
        this.outbound = outbound;
        this.closeFrames = closeFrames;
        this.handler = handler;
        this.partialHandler = handler instanceof PartialMessageHandler p ? p : null;
        this.observer = handler instanceof FrameObserver o ? o : null;
        this.extensions = extensions;
        this.gatherDataFrames = !extensions.isEmpty() || observer != null;
        this.maxFragments = config.maxFragmentsPerMessage();
        // Messages taken in parts hold nothing, so only gathered ones are timed.
        this.timesMessages = partialHandler == null && !config.messageTimeout().isZero();
        this.assembler = new MessageAssembler(config.maxMessageSize(), partialHandler != null,
                partialHandler == null && handler instanceof Utf8TextHandler, this);
    }

    @Override
    public void onFrameHeader(boolean fin, int rsv, Opcode opcode, long payloadLength) {
        this.fin = fin;
        this.rsv = rsv;
        this.opcode = opcode;
        if (!opcode.isControl()) {
            // Fragmentation errors are found here, before any payload is read.
            assembler.checkStart(opcode);
            if (opcode == Opcode.CONTINUATION) {
                fragments++;
            } else {
                fragments = 1;
                messageOpen = true;
                messagesStarted++;
                messageStartNanos = inputNanos;
            }
            if (fragments > maxFragments) {
                throw ProtocolViolation.TOO_MANY_FRAGMENTS.exception(fragments + " > " + maxFragments);
            }
        }
        gathering = opcode.isControl() || gatherDataFrames;
        if (gathering) {
            // Nothing is reserved for the declared length: the buffer grows as the payload arrives.
            frameLength = 0;
            declaredLength = payloadLength;
        } else {
            assembler.beginFrame(opcode, fin, payloadLength);
        }
    }

    @Override
    public void onFramePayload(ByteBuffer chunk) {
        if (state.inputClosed()) {
            return;
        }
        if (gathering) {
            int n = chunk.remaining();
            if (frameLength + n > frame.length) {
                frame = Capacity.grow(frame, frameLength + n, declaredLength);
            }
            chunk.get(chunk.position(), frame, frameLength, n);
            frameLength += n;
        } else {
            assembler.append(chunk);
        }
    }

    @Override
    public boolean onFrameEnd() {
        if (fin && !opcode.isControl()) {
            messageOpen = false;
        }
        if (state.inputClosed()) {
            return false;
        }
        if (gathering) {
            onWholeFrame(ByteBuffer.wrap(frame, 0, frameLength));
            releaseLargeFrame();
        } else {
            assembler.endFrame();
        }
        return !state.inputClosed() && !decodePending;
    }

    /** Input arrives at {@code nanos}: a data message that starts in it is timed from then. */
    void inputAt(long nanos) {
        inputNanos = nanos;
    }

    /** Whether an extension has more output for the last frame: call {@link #nextSlice()}. */
    boolean decodePending() {
        return decodePending;
    }

    /** Hands on the next slice of an extension's output. */
    void nextSlice() {
        decodePending = false;
        deliver(extensions.decodePending());
        releaseLargeFrame();
    }

    /** Whether the peer has started a data message and not yet sent all of it. */
    boolean messageInProgress() {
        return messageOpen;
    }

    /** Whether messages in progress are subject to the message timeout. */
    boolean timesMessages() {
        return timesMessages;
    }

    /** How many data messages the peer has started; identifies the one in progress. */
    long messagesStarted() {
        return messagesStarted;
    }

    /** When the message in progress started, on the session's clock. */
    long messageStartNanos() {
        return messageStartNanos;
    }

    /** Frames the extensions handed on for the message in progress (or the last one). */
    int slices() {
        return slices;
    }

    /** What this side of the connection holds: the frame and message buffers. */
    long heldBytes() {
        return frame.length + assembler.heldBytes();
    }

    /** Lets go of every buffer: the connection has closed, and may stay referenced a while. */
    void release() {
        frame = NO_BYTES;
        assembler.release();
    }

    private void releaseLargeFrame() {
        // Kept while an extension still reads it for its pending output.
        if (!decodePending && frame.length > RETAINED_BUFFER) {
            frame = NO_BYTES;
        }
    }

    private void onWholeFrame(ByteBuffer payload) {
        if (!extensions.isEmpty() || observer != null) {
            deliver(extensions.decode(new Frame(fin, rsv, opcode, payload)));
        } else if (opcode.isControl()) {
            onControlFrame(opcode, payload);
        } else {
            toAssembler(opcode, fin, payload);
        }
    }

    /** Hands on a frame as extensions decoded it: to the observer, then the session or the assembler. */
    private void deliver(Frame decoded) {
        decodePending = extensions.hasPendingOutput();
        if (observer != null) {
            // Off the loop thread, the frame must not share the reused gathering buffer.
            Frame seen = callbacks.offLoop() ? decoded.withPayload(copy(decoded.payload())) : decoded;
            callbacks.invoke(() -> observer.onFrame(connection, seen));
            if (state.inputClosed()) {
                return;
            }
        }
        if (decoded.opcode().isControl()) {
            onControlFrame(decoded.opcode(), decoded.payload());
        } else {
            slices = decoded.opcode() == Opcode.CONTINUATION ? slices + 1 : 1;
            toAssembler(decoded.opcode(), decoded.fin(), decoded.payload());
        }
    }

    private void toAssembler(Opcode opcode, boolean fin, ByteBuffer payload) {
        assembler.beginFrame(opcode, fin, payload.remaining());
        assembler.append(payload);
        assembler.endFrame();
    }

    /** A control frame arrived, whole; {@code payload} is only valid during the call. */
    private void onControlFrame(Opcode opcode, ByteBuffer payload) {
        switch (opcode) {
            case PING -> {
                if (config.autoPong() && !state.closeSent()) {
                    outbound.answerPing(payload);
                }
                ByteBuffer data = Outbound.copy(payload);
                callbacks.invoke(() -> handler.onPing(connection, data));
            }
            case PONG -> {
                ByteBuffer data = Outbound.copy(payload);
                callbacks.invoke(() -> handler.onPong(connection, data));
            }
            case CLOSE -> closeFrames.closeFrame(CloseFrame.parse(payload));
            default -> throw new IllegalArgumentException(opcode + " is not a control opcode");
        }
    }

    // ---------------------------------------------------------------- MessageAssembler.Sink

    @Override
    public void onText(String text) {
        metrics.messageReceived();
        callbacks.invoke(TEXT, handler, text);
    }

    @Override
    public void onUtf8Text(ByteBuffer utf8) {
        metrics.messageReceived();
        callbacks.invoke(UTF8_TEXT, handler, utf8);
    }

    @Override
    public void onBinary(ByteBuffer data) {
        metrics.messageReceived();
        callbacks.invoke(BINARY, handler, data);
    }

    @Override
    public void onTextPart(String part, boolean last) {
        if (last) {
            metrics.messageReceived();
        }
        callbacks.invoke(() -> partialHandler.onTextPart(connection, part, last));
    }

    @Override
    public void onBinaryPart(ByteBuffer part, boolean last) {
        if (last) {
            metrics.messageReceived();
        }
        callbacks.invoke(() -> partialHandler.onBinaryPart(connection, part, last));
    }

    private static ByteBuffer copy(ByteBuffer src) {
        ByteBuffer out = ByteBuffer.allocate(src.remaining());
        out.put(src.duplicate());
        return out.flip();
    }
}
