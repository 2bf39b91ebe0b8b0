package dev.weft.core.message;

import dev.weft.api.Opcode;
import dev.weft.core.frame.ProtocolViolation;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Joins data frames into messages (RFC 6455 §5.4) and checks what spans frames: a continuation
 * needs a message to continue, a new message may not start inside a fragmented one, text must be
 * valid UTF-8 (§8.1), and a message may not exceed the size limit. Control frames never reach it.
 * Not thread safe.
 *
 * <p>Text is validated as its bytes arrive, so invalid input fails on the chunk that holds the first
 * bad byte, not when the message ends; it is decoded into a {@code String} once, at the end. A
 * single-frame message that arrives in one chunk is delivered straight from that chunk; others are
 * gathered in a buffer that is reused from message to message (and let go after a large one). The
 * buffer grows with the bytes that arrived, doubling, never to a length the peer declared.
 *
 * <p>In partial mode each chunk is handed on as it arrives (text cut after the last whole code point,
 * the rest held for the next part) and the message size limit does not apply.
 */
public final class MessageAssembler {

    /** Receives assembled messages or message parts. */
    public interface Sink {
        /** A whole text message (whole mode). */
        void onText(String text);

        /** A whole text message as its validated UTF-8 bytes, owned by the receiver (whole mode, text as bytes). */
        void onUtf8Text(ByteBuffer utf8);

        /** A whole binary message, owned by the receiver (whole mode). */
        void onBinary(ByteBuffer data);

        /** The next part of a text message (partial mode). */
        void onTextPart(String part, boolean last);

        /** The next part of a binary message, owned by the receiver (partial mode). */
        void onBinaryPart(ByteBuffer part, boolean last);
    }

    /** A gathering buffer up to this size is kept for the next message; a larger one is let go. */
    private static final int RETAINED_BUFFER = 64 * 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** Shared by every connection that holds no bytes: most are idle. */
    private static final byte[] NO_BYTES = new byte[0];
    private final int maxMessageSize;
    private final boolean partial;
    private final boolean textAsUtf8;
    private final Sink sink;
    private final Utf8Validator utf8 = new Utf8Validator();

    /** TEXT or BINARY while a message is in progress, null between messages. */
    private Opcode messageType;
    private int fragments;
    private long messageSize;
    /** Whether the message's final part or whole has been handed on. */
    private boolean delivered;

    private boolean frameFin;
    private long frameRemaining;

    /** Gathered bytes: the message so far, or in partial text mode an unfinished code point. */
    private byte[] buffer = NO_BYTES;
    private int buffered;

    /**
     * @param maxMessageSize the largest message delivered whole (ignored in partial mode)
     * @param partial whether to deliver parts as they arrive instead of whole messages
     * @param textAsUtf8 whether whole text messages go to {@link Sink#onUtf8Text} undecoded
     * @param sink where messages go
     */
    public MessageAssembler(int maxMessageSize, boolean partial, boolean textAsUtf8, Sink sink) {
        this.maxMessageSize = maxMessageSize;
        this.partial = partial;
        this.textAsUtf8 = textAsUtf8;
        this.sink = sink;
    }

    /** The bytes this assembler holds: its gathering buffer. */
    public long heldBytes() {
        return buffer.length;
    }

    /** Lets go of the gathering buffer and any message in progress: no more input will come. */
    public void release() {
        buffer = NO_BYTES;
        buffered = 0;
        messageType = null;
    }

    /**
     * Checks that a data frame with this opcode may come now, changing nothing: an early check for
     * frames whose payload is gathered whole before {@link #beginFrame}.
     */
    public void checkStart(Opcode opcode) {
        if (opcode == Opcode.CONTINUATION) {
            // Continuation frames continue "a fragmented message" that a first frame started (RFC 6455 §5.4)
            if (messageType == null) {
                throw ProtocolViolation.CONTINUATION_WITHOUT_START.exception();
            }
        } else if (messageType != null) {
            // "the fragments of one message MUST NOT be interleaved between the fragments of
            // another message" (RFC 6455 §5.4)
            throw ProtocolViolation.DATA_FRAME_INSIDE_FRAGMENTED_MESSAGE.exception(opcode.name());
        }
    }

    /**
     * A data frame starts.
     *
     * @param opcode TEXT, BINARY or CONTINUATION
     * @param fin whether it ends its message
     * @param length how many payload bytes {@link #append} will bring for this frame
     */
    public void beginFrame(Opcode opcode, boolean fin, long length) {
        checkStart(opcode);
        if (opcode != Opcode.CONTINUATION) {
            messageType = opcode;
            fragments = 0;
            messageSize = 0;
            delivered = false;
            utf8.reset();
        }
        fragments++;
        // Checked against the declared length, so an oversized message fails before its payload
        // has been read.
        messageSize += length;
        if (!partial && messageSize > maxMessageSize) {
            throw ProtocolViolation.MESSAGE_TOO_BIG.exception(messageSize + " > " + maxMessageSize);
        }
        frameFin = fin;
        frameRemaining = length;
    }

    /** The next chunk of the current frame's payload: its bytes from position to limit. */
    public void append(ByteBuffer chunk) {
        int n = chunk.remaining();
        frameRemaining -= n;
        boolean last = frameFin && frameRemaining == 0;
        if (messageType == Opcode.TEXT) {
            validate(chunk, last);
        }
        if (partial) {
            deliverPart(chunk, last);
        } else if (last && fragments == 1 && buffered == 0) {
            deliverWhole(chunk);
        } else {
            gather(chunk);
        }
    }

    /** The current frame's payload is complete. */
    public void endFrame() {
        if (!frameFin) {
            return;
        }
        if (!delivered) {
            // The final frame was empty, or the message was gathered.
            if (messageType == Opcode.TEXT) {
                validate(EMPTY, true);
            }
            if (partial) {
                deliverPart(EMPTY, true);
            } else {
                deliverWhole(ByteBuffer.wrap(buffer, 0, buffered));
            }
        }
        messageType = null;
        buffered = 0;
        if (buffer.length > RETAINED_BUFFER) {
            buffer = NO_BYTES;
        }
    }

    private void validate(ByteBuffer chunk, boolean last) {
        // "When an endpoint is to interpret a byte stream as UTF-8 but finds that the byte stream
        // is not, in fact, a valid UTF-8 stream, that endpoint MUST _Fail the WebSocket
        // Connection_." (RFC 6455 §8.1)
        if (utf8.validate(chunk, chunk.position(), chunk.limit()) >= 0) {
            throw ProtocolViolation.INVALID_UTF8.exception();
        }
        if (last && !utf8.isComplete()) {
            throw ProtocolViolation.INVALID_UTF8.exception("the message ends inside a code point");
        }
    }

    private void deliverWhole(ByteBuffer bytes) {
        delivered = true;
        if (messageType == Opcode.BINARY) {
            sink.onBinary(copy(bytes));
        } else if (textAsUtf8) {
            sink.onUtf8Text(copy(bytes));
        } else {
            sink.onText(decode(bytes));
        }
    }

    private void deliverPart(ByteBuffer chunk, boolean last) {
        delivered = last;
        if (messageType == Opcode.BINARY) {
            sink.onBinaryPart(copy(chunk), last);
            return;
        }
        gather(chunk);
        int whole = buffered - utf8.pendingBytes();
        if (whole > 0 || last) {
            sink.onTextPart(new String(buffer, 0, whole, StandardCharsets.UTF_8), last);
            System.arraycopy(buffer, whole, buffer, 0, buffered - whole);
            buffered -= whole;
        }
    }

    /** Appends a chunk to the buffer, which grows with what arrived, never with what was declared. */
    private void gather(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (buffered + n > buffer.length) {
            buffer = Capacity.grow(buffer, buffered + n, maxMessageSize);
        }
        chunk.get(chunk.position(), buffer, buffered, n);
        buffered += n;
    }

    private static String decode(ByteBuffer bytes) {
        // Already validated, so the JDK's lenient decoder is exact here (and fast).
        if (bytes.hasArray()) {
            return new String(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining(),
                    StandardCharsets.UTF_8);
        }
        return new String(copy(bytes).array(), StandardCharsets.UTF_8);
    }

    private static ByteBuffer copy(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(bytes.position(), copy);
        return ByteBuffer.wrap(copy);
    }
}
