package dev.weft.ext.zstd;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.weft.api.CloseCodes;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketException;

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
 * window). And the message is: output is produced at most {@link #STEP} bytes at a time and checked
 * after each step against the maximum message size, across all of the message's frames, so a small
 * message that inflates to gigabytes fails with 1009 having allocated no more than the limit allows.
 * A frame header that declares a content size over the limit fails with 1009 before anything is
 * decompressed, with context takeover or without.
 *
 * <p>The zstd context is made on the first compressed message received.
 */
final class MessageDecompressor implements AutoCloseable {

    /** The most output one decompression call may produce before the size limit is checked again. */
    static final int STEP = 32 * 1024;
    /** Input is copied into native memory this much at a time. */
    private static final int INPUT_CHUNK = 16 * 1024;
    private static final int SMALLEST_OUTPUT = 256;
    private static final int LARGEST_ARRAY = Integer.MAX_VALUE - 8;

    private final boolean peerResets;
    private final int windowLogLimit;
    private final int maxMessageSize;
    private final FrameHeaderReader header = new FrameHeaderReader();

    private ZstdDecompressCtx ctx;
    private ByteBuffer input;
    private ByteBuffer output;
    /** Whether the decoder is inside a zstd frame, past its header. */
    private boolean inFrame;
    /** Whether a zstd frame ended in the message in progress: no more data may follow in it. */
    private boolean frameEnded;
    /** Whether the data message in progress is compressed; set by its first frame. */
    private boolean decompressing;
    /** Bytes decompressed so far for the message in progress. */
    private long messageSize;
    private boolean closed;

    /** This frame's decompressed bytes, in {@code out[0..outLength)}. */
    private byte[] out;
    private int outLength;
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
     * The frame as the application should see it: decompressed, RSV1 clear.
     *
     * @throws WebSocketException 1002 for RSV1 where it must not be or a window over the agreed
     *     limit, 1007 for data that is not a well-placed zstd frame, 1009 for a message that
     *     decompresses past the maximum message size
     */
    Frame decode(Frame frame) {
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
        out = new byte[(int) room(Math.min(Math.max(frame.payloadLength() * 4L, SMALLEST_OUTPUT), STEP))];
        outLength = 0;
        feed(frame.payload());
        if (frame.fin()) {
            endMessage();
        }
        Frame decompressed = new Frame(frame.fin(), frame.rsv() & ~Frame.RSV1, frame.opcode(),
                ByteBuffer.wrap(out, 0, outLength));
        out = null;
        return decompressed;
    }

    /** How many bytes the message in progress has decompressed to so far. */
    long messageSize() {
        return messageSize;
    }

    /** How many times an output array has been replaced by a larger copy, across all messages. */
    long growths() {
        return growths;
    }

    private void feed(ByteBuffer payload) {
        while (payload.hasRemaining()) {
            if (frameEnded) {
                throw invalid("data follows the end of a zstd frame in the same message");
            }
            if (!inFrame) {
                if (!takeHeader(payload)) {
                    return; // the rest of the header is in the next frame of the message
                }
                inFrame = true;
                decompress(header.bytes());
                header.reset();
            } else {
                int n = Math.min(INPUT_CHUNK, payload.remaining());
                decompress(payload.slice().limit(n));
                payload.position(payload.position() + n);
            }
        }
    }

    /** Gathers a frame header and checks it; true once it is complete. */
    private boolean takeHeader(ByteBuffer payload) {
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

    /** Decompresses {@code chunk} (a frame header or frame data) into {@link #out}, all of it. */
    private void decompress(ByteBuffer chunk) {
        if (ctx == null) {
            ctx = NativeContexts.newDecompressor();
            input = ByteBuffer.allocateDirect(INPUT_CHUNK);
            output = ByteBuffer.allocateDirect(STEP);
        }
        input.clear();
        input.put(chunk).flip();
        while (true) {
            output.clear().limit((int) room(STEP));
            boolean frameDone;
            try {
                frameDone = ctx.decompressDirectByteBufferStream(output, input);
            } catch (ZstdException e) {
                throw invalid("the zstd data does not decompress: " + errorName(e));
            }
            int produced = output.position();
            boolean outputFull = !output.hasRemaining();
            messageSize += produced;
            if (messageSize > maxMessageSize) {
                throw new WebSocketException(CloseCodes.MESSAGE_TOO_BIG, "a compressed message decompresses to"
                        + " more than " + maxMessageSize + " bytes");
            }
            append(produced);
            if (frameDone) {
                inFrame = false;
                frameEnded = true;
                if (input.hasRemaining()) {
                    throw invalid("data follows the end of a zstd frame in the same message");
                }
                return;
            }
            // "If `output.pos < output.size`, decoder has flushed everything it could." (zstd.h)
            if (!input.hasRemaining() && !outputFull) {
                return;
            }
        }
    }

    private void endMessage() {
        if (header.started()) {
            throw invalid("the message ends inside a zstd frame header");
        }
        if (peerResets && !frameEnded) {
            throw invalid("without context takeover a compressed message must be one whole zstd frame");
        }
    }

    private void append(int produced) {
        long needed = (long) outLength + produced;
        if (needed > out.length) {
            // Doubling keeps the copying linear in the message's size, where a fixed step made it
            // quadratic; the bound keeps a message that may take little more from reserving more.
            long grown = Math.min(Math.max(needed, 2L * out.length), needed + room(Integer.MAX_VALUE));
            out = Arrays.copyOf(out, (int) Math.min(grown, LARGEST_ARRAY));
            growths++;
        }
        output.flip().get(out, outLength, produced);
        outLength += produced;
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
     * and its buffers. The output of a frame is handed over with the frame and not kept.
     */
    long heldBytes() {
        if (ctx == null) {
            return 0;
        }
        return NativeContexts.decompressorBytes(windowLogLimit) + input.capacity() + output.capacity();
    }

    @Override
    public void close() {
        closed = true;
        NativeContexts.free(ctx);
        ctx = null;
        input = null;
        output = null;
    }
}
