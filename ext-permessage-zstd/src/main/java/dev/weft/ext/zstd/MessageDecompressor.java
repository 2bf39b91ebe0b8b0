package dev.weft.ext.zstd;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.weft.api.CloseCodes;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.ExtensionDecoder;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The receiving half of permessage-zstd: decompresses incoming messages frame by frame as they
 * arrive, and enforces the rules on RSV1 and on where zstd frames begin and end. Not thread-safe:
 * one connection uses it on one thread.
 *
 * <p>Memory is bounded two ways. The decoder's window is: zstd-jni 1.5.6 offers no window limit on
 * {@link ZstdDecompressCtx}, so each zstd frame header is read here first, and a frame whose window
 * is larger than the agreed limit is refused before the decoder sees it (it would allocate the
 * window). And the message is: its decompressed size is checked against the maximum message size
 * as it grows, across all of the message's frames, and output space is never made for more than
 * one byte past it, so a small message that decompresses to gigabytes fails with 1009 having
 * decompressed one byte more than the limit. A frame header that declares a content size over the
 * limit fails with 1009 before anything is decompressed, with context takeover or without.
 *
 * <p>Work is bounded too: a frame's output is handed back in slices of at most {@link #SLICE}
 * bytes ({@link #decode}, then {@link #decodePending} while {@link #hasPendingOutput}), so one
 * small frame that decompresses to megabytes does not hold its connection's thread for long. One
 * slice's buffer is reused for the next slice of the same frame (the engine consumes each slice
 * before it asks for the next) and dropped after the last.
 *
 * <p>The zstd context and its native buffers are made on the first compressed message received.
 *
 * <p>The slice arithmetic (output space that doubles up to a slice, never more than the message may
 * still take plus one byte) is the same as in the DEFLATE extensions' shared inflater, on purpose
 * not shared: this module is written against the public SPI alone, and those dozen lines are too
 * little to make public API of. The rest of the loop is zstd's own: native direct buffers, frame
 * headers checked before the decoder sees them, and the ends of zstd frames.
 */
final class MessageDecompressor implements ExtensionDecoder {

    /** The most output one call hands back. */
    static final int SLICE = 64 * 1024;
    /** Input is copied into native memory this much at a time. */
    private static final int INPUT_CHUNK = 16 * 1024;
    /** Output is taken from native memory this much at a time. */
    private static final int OUTPUT_CHUNK = 32 * 1024;
    private static final int SMALLEST_OUTPUT = 256;

    private final boolean peerResets;
    private final int windowLogLimit;
    private final int maxMessageSize;
    private final FrameHeaderReader header = new FrameHeaderReader();

    private ZstdDecompressCtx ctx;
    /** Input the decoder has not taken yet: between calls, a remainder of the frame's payload. */
    private ByteBuffer input;
    private ByteBuffer output;
    /** Whether the decoder has handed out all it could from the input given so far. */
    private boolean flushed = true;
    /** Whether the decoder is inside a zstd frame, past its header. */
    private boolean inFrame;
    /** Whether a zstd frame ended in the message in progress: no more data may follow in it. */
    private boolean frameEnded;
    /** Whether the data message in progress is compressed; set by its first frame. */
    private boolean decompressing;
    /** Bytes decompressed so far for the message in progress. */
    private long messageSize;
    private boolean closed;

    /** The compressed frame whose output is being handed back, until its last slice; else null. */
    private Frame frame;
    /** Its payload, as much as has not been copied into {@link #input} yet. */
    private ByteBuffer payload;
    /** Output space for the current slice. */
    private byte[] out;
    private boolean pending;
    /** How many times an output array was replaced by a larger copy, for tests. */
    private long growths;

    /**
     * @param peerResets whether the peer uses no context takeover, so each compressed message must
     *     be exactly one whole zstd frame
     * @param windowLogLimit the base-2 logarithm of the largest window the peer may use
     * @param maxMessageSize the largest decompressed message accepted, in bytes
     */
    MessageDecompressor(boolean peerResets, int windowLogLimit, int maxMessageSize) {
        this.peerResets = peerResets;
        this.windowLogLimit = windowLogLimit;
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * The frame as the application should see it: decompressed, RSV1 clear; for a compressed frame,
     * the first slice of its output.
     *
     * @throws WebSocketException 1002 for RSV1 where it must not be or a window over the agreed
     *     limit, 1007 for data that is not a well-placed zstd frame, 1009 for a message that
     *     decompresses past the maximum message size
     */
    @Override
    public Frame decode(Frame frame) {
        // As in RFC 7692 §6: "An endpoint MUST NOT set the "Per-Message Compressed" bit of control
        // frames and non-first fragments of a data message. An endpoint receiving such a frame MUST
        // _Fail the WebSocket Connection_."
        if (frame.opcode().isControl()) {
            if (frame.rsv1()) {
                throw new WebSocketException(CloseCodes.PROTOCOL_ERROR, "RSV1 set on a " + frame.opcode()
                        + " frame: control frames are never compressed");
            }
            return frame;
        }
        if (frame.opcode() != Opcode.CONTINUATION) {
            decompressing = frame.rsv1();
            messageSize = 0;
            frameEnded = false;
        } else if (frame.rsv1()) {
            throw new WebSocketException(CloseCodes.PROTOCOL_ERROR,
                    "RSV1 set on a continuation frame: only a message's first frame carries it");
        }
        if (!decompressing) {
            return frame;
        }
        if (closed) {
            throw new IllegalStateException("the decompressor is closed");
        }
        if (ctx == null) {
            ctx = NativeContexts.newDecompressor();
            input = ByteBuffer.allocateDirect(INPUT_CHUNK).flip();
            output = ByteBuffer.allocateDirect(OUTPUT_CHUNK);
        }
        this.frame = frame;
        payload = frame.payload();
        out = new byte[(int) room(Math.min(Math.max(frame.payloadLength() * 4L, SMALLEST_OUTPUT), SLICE))];
        return nextSlice(frame.opcode());
    }

    /** Whether the frame last decoded has output still to come. */
    @Override
    public boolean hasPendingOutput() {
        return pending;
    }

    /** The next slice of the frame last decoded: a continuation frame. */
    @Override
    public Frame decodePending() {
        if (!pending) {
            throw new IllegalStateException("no output is pending");
        }
        return nextSlice(Opcode.CONTINUATION);
    }

    /** How many bytes the message in progress has decompressed to so far. */
    long messageSize() {
        return messageSize;
    }

    /** How many times an output array has been replaced by a larger copy, across all messages. */
    long growths() {
        return growths;
    }

    private Frame nextSlice(Opcode opcode) {
        int length = fill();
        if (!pending && frame.fin()) {
            endMessage();
        }
        Frame slice = new Frame(!pending && frame.fin(), frame.rsv() & ~Frame.RSV1, opcode,
                ByteBuffer.wrap(out, 0, length));
        if (!pending) {
            frame = null;
            payload = null;
            out = null;
        }
        return slice;
    }

    /**
     * Decompresses into {@link #out} until it holds a whole slice (then {@link #pending} is set:
     * more may follow) or the frame's payload is used up and the decoder has handed out all of it.
     *
     * @return how many bytes of {@code out} were filled
     */
    private int fill() {
        int length = 0;
        while (true) {
            if (length == out.length) {
                if (length == SLICE) {
                    pending = true;
                    return length;
                }
                // Doubling up to a slice, never more than the message may still take plus one.
                out = Arrays.copyOf(out, (int) Math.min(Math.min(SLICE, 2L * length), length + room(SLICE)));
                growths++;
            }
            if (flushed && !input.hasRemaining() && !load()) {
                pending = false;
                return length;
            }
            length += decompress(out, length);
        }
    }

    /**
     * Copies the next piece of the frame's payload into {@link #input}: a whole zstd frame header
     * (checked first), or up to {@link #INPUT_CHUNK} bytes of frame data.
     *
     * @return false if the payload is used up, or ends inside a header
     */
    private boolean load() {
        if (!payload.hasRemaining()) {
            return false;
        }
        if (frameEnded) {
            throw invalid("data follows the end of a zstd frame in the same message");
        }
        input.clear();
        if (inFrame) {
            int n = Math.min(INPUT_CHUNK, payload.remaining());
            input.put(payload.slice().limit(n));
            payload.position(payload.position() + n);
        } else {
            if (!takeHeader()) {
                input.flip();
                return false; // the rest of the header is in the next frame of the message
            }
            inFrame = true;
            input.put(header.bytes());
            header.reset();
        }
        input.flip();
        flushed = false;
        return true;
    }

    /** Gathers a frame header and checks it; true once it is complete. */
    private boolean takeHeader() {
        try {
            if (!header.take(payload)) {
                return false;
            }
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        if (header.dictionaryId() != 0) {
            throw invalid("the zstd frame needs dictionary " + header.dictionaryId() + ", and none was agreed");
        }
        long contentSize = header.contentSize();
        // A frame starts with a message. Without context takeover the frame is the message; with
        // it, a frame kept open across messages cannot know its size and declares none, so a frame
        // that declares one is one message's, or less than the messages it spans: either way over
        // the limit is too much.
        if (contentSize > maxMessageSize) {
            throw new WebSocketException(CloseCodes.MESSAGE_TOO_BIG, "a compressed message declares "
                    + contentSize + " bytes, more than the limit of " + maxMessageSize);
        }
        long windowSize = header.windowSize();
        if (windowSize > 1L << windowLogLimit) {
            throw new WebSocketException(CloseCodes.PROTOCOL_ERROR, "a zstd frame needs a window of " + windowSize
                    + " bytes, more than the agreed 2^" + windowLogLimit);
        }
        return true;
    }

    /**
     * One call of the decoder on {@link #input}, its output copied into {@code into} from
     * {@code offset}: no more than fits there, nor than the message may still take plus one byte.
     *
     * @return how many bytes it produced
     */
    private int decompress(byte[] into, int offset) {
        output.clear().limit((int) Math.min(Math.min(output.capacity(), into.length - offset), room(SLICE)));
        boolean frameDone;
        try {
            frameDone = ctx.decompressDirectByteBufferStream(output, input);
        } catch (ZstdException e) {
            throw invalid("the zstd data does not decompress: " + errorName(e));
        }
        int produced = output.position();
        // "If `output.pos < output.size`, decoder has flushed everything it could." (zstd.h)
        flushed = output.hasRemaining();
        messageSize += produced;
        if (messageSize > maxMessageSize) {
            throw new WebSocketException(CloseCodes.MESSAGE_TOO_BIG, "a compressed message decompresses to"
                    + " more than " + maxMessageSize + " bytes");
        }
        output.flip().get(into, offset, produced);
        if (frameDone) {
            inFrame = false;
            frameEnded = true;
            flushed = true;
            if (input.hasRemaining()) {
                throw invalid("data follows the end of a zstd frame in the same message");
            }
        }
        return produced;
    }

    private void endMessage() {
        if (header.started()) {
            throw invalid("the message ends inside a zstd frame header");
        }
        if (peerResets && !frameEnded) {
            throw invalid("without context takeover a compressed message must be one whole zstd frame");
        }
    }

    /**
     * {@code wanted} bytes of output space, or less: never more than the message may still take
     * plus the one byte that shows it went over, so a message over the limit costs no more memory
     * than one at the limit.
     */
    private long room(long wanted) {
        return Math.min(wanted, maxMessageSize - messageSize + 1);
    }

    private static WebSocketException invalid(String problem) {
        // 1007 is for "data within a message that was not consistent with the type of the message"
        // (RFC 6455 §7.4.1): the compressed payload of a message is not a well-formed zstd stream.
        return new WebSocketException(CloseCodes.INVALID_PAYLOAD, problem);
    }

    private static String errorName(ZstdException e) {
        // zstd-jni 1.5.6 reports the error code positive, and names it only from zstd's negated form.
        return Zstd.getErrorName(-Math.abs(e.getErrorCode()));
    }

    /**
     * The memory this decompressor holds between calls: its zstd context, once made, at the size
     * {@link NativeContexts#decompressorBytes} estimates for the largest window the peer may use,
     * its native buffers, and while a frame's output is pending, the buffer of its slices.
     */
    @Override
    public long heldBytes() {
        if (ctx == null) {
            return 0;
        }
        return NativeContexts.decompressorBytes(windowLogLimit) + input.capacity() + output.capacity()
                + (out == null ? 0 : out.length);
    }

    @Override
    public void close() {
        closed = true;
        NativeContexts.free(ctx);
        ctx = null;
        input = null;
        output = null;
        frame = null;
        payload = null;
        out = null;
        pending = false;
    }
}
