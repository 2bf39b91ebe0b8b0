package dev.weft.ext.zstd;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.extension.ExtensionEncoder;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The sending half of permessage-zstd: compresses outgoing data messages frame by frame, so that a
 * message sent in parts is compressed in parts. Not thread-safe: one connection uses it on one
 * thread.
 *
 * <p>Every frame's payload goes through one zstd compression stream and is flushed at the end of
 * the frame, so each frame carries all of its data and the peer can decompress it on arrival. At the
 * end of a message the stream is flushed ({@code ZSTD_e_flush}) when this end keeps its context, so
 * the next message may refer back to this one; without context takeover the zstd frame is ended
 * ({@code ZSTD_e_end}) and the next message starts a new one from an empty history. The first frame
 * of a compressed message carries RSV1, the others do not. A message that fits in one frame and is
 * shorter than the threshold goes uncompressed, RSV1 clear; a message sent in parts is always
 * compressed, since its size is unknown when its first frame goes out. Control frames are never
 * compressed.
 *
 * <p>The zstd context is made on the first compressed message, so a connection that sends only
 * small messages never holds one. Each encoded frame gets a new array of its exact size: the
 * transport may hold it in its write queue long after this call.
 */
final class MessageCompressor implements ExtensionEncoder {

    /** Input is copied into native memory this much at a time. */
    private static final int INPUT_CHUNK = 16 * 1024;
    /** Compressed output is gathered in native memory up to this much at a time. */
    private static final int OUTPUT_CHUNK = 32 * 1024;

    private final int level;
    private final int windowLog;
    private final int threshold;
    private final boolean resetAfterMessage;

    private ZstdCompressCtx ctx;
    private ByteBuffer input;
    private ByteBuffer output;
    /** Output that did not fit in {@link #output}, in {@code spill[0..spillLength)}. */
    private byte[] spill;
    private int spillLength;
    /** Whether the data message in progress is being compressed; set by its first frame. */
    private boolean compressing;
    private boolean closed;

    /**
     * @param level the zstd compression level
     * @param windowLog the base-2 logarithm of the largest window to compress with
     * @param threshold messages in one frame shorter than this many bytes go uncompressed
     * @param resetAfterMessage whether this direction uses no context takeover: each message is a
     *     whole zstd frame, compressed without reference to the ones before
     */
    MessageCompressor(int level, int windowLog, int threshold, boolean resetAfterMessage) {
        this.level = level;
        this.windowLog = windowLog;
        this.threshold = threshold;
        this.resetAfterMessage = resetAfterMessage;
    }

    /** Whether each message is compressed without reference to the ones before. */
    boolean resetsAfterMessage() {
        return resetAfterMessage;
    }

    /** A new compressor with these settings and no history; thread-safe, as the settings are final. */
    MessageCompressor copySettings() {
        return new MessageCompressor(level, windowLog, threshold, resetAfterMessage);
    }

    /** The frame to send in place of {@code frame}. */
    @Override
    public Frame encode(Frame frame) {
        if (frame.opcode().isControl()) {
            return frame;
        }
        boolean first = frame.opcode() != Opcode.CONTINUATION;
        if (first) {
            compressing = !frame.fin() || frame.payloadLength() >= threshold;
        }
        if (!compressing) {
            return frame;
        }
        ByteBuffer compressed = compress(frame.payload(), frame.fin());
        int rsv = first ? frame.rsv() | Frame.RSV1 : frame.rsv();
        return new Frame(frame.fin(), rsv, frame.opcode(), compressed);
    }

    private ByteBuffer compress(ByteBuffer payload, boolean endOfMessage) {
        if (closed) {
            throw new IllegalStateException("the compressor is closed");
        }
        if (ctx == null) {
            ctx = NativeContexts.newCompressor(level, windowLog);
            input = ByteBuffer.allocateDirect(INPUT_CHUNK);
            output = ByteBuffer.allocateDirect(OUTPUT_CHUNK);
        }
        EndDirective last = endOfMessage && resetAfterMessage ? EndDirective.END : EndDirective.FLUSH;
        output.clear();
        spillLength = 0;
        do {
            input.clear();
            int n = Math.min(input.capacity(), payload.remaining());
            input.put(payload.slice().limit(n)).flip();
            payload.position(payload.position() + n);
            // Input before the last chunk is only buffered by zstd; the last one flushes or ends.
            EndDirective directive = payload.hasRemaining() ? EndDirective.CONTINUE : last;
            while (true) {
                boolean flushed = ctx.compressDirectByteBufferStream(output, input, directive);
                if (!output.hasRemaining()) {
                    spillOutput();
                }
                // For CONTINUE, done once zstd took the whole chunk; for FLUSH and END, once zstd
                // says nothing is left in its buffers.
                if (directive == EndDirective.CONTINUE ? !input.hasRemaining() : flushed) {
                    break;
                }
            }
        } while (payload.hasRemaining());
        byte[] compressed = new byte[spillLength + output.position()];
        if (spillLength > 0) {
            System.arraycopy(spill, 0, compressed, 0, spillLength);
        }
        output.flip().get(compressed, spillLength, output.remaining());
        if (spill != null && spill.length > OUTPUT_CHUNK * 4) {
            spill = null; // a large message's buffer is not kept for the small ones that follow
        }
        return ByteBuffer.wrap(compressed);
    }

    private void spillOutput() {
        output.flip();
        int n = output.remaining();
        if (spill == null || spill.length - spillLength < n) {
            spill = Arrays.copyOf(spill == null ? new byte[0] : spill, Math.max(spillLength + n, spillLength * 2));
        }
        output.get(spill, spillLength, n);
        spillLength += n;
        output.clear();
    }

    /**
     * The memory this compressor holds between calls: its zstd context, once made, at the size
     * {@link NativeContexts#compressorBytes} estimates, and its buffers.
     */
    @Override
    public long heldBytes() {
        if (ctx == null) {
            return 0;
        }
        return NativeContexts.compressorBytes(level, windowLog) + input.capacity() + output.capacity()
                + (spill == null ? 0 : spill.length);
    }

    @Override
    public void close() {
        closed = true;
        NativeContexts.free(ctx);
        ctx = null;
        input = null;
        output = null;
        spill = null;
    }
}
