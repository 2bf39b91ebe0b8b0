package dev.weft.benchmarks.hostile;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Message payloads that inflate enormously: zeros, compressed. DEFLATE reaches about 1,030:1 on
 * zeros, so 62 KiB inflate to 64 MiB; zstd describes each 128 KiB block of zeros in a few bytes.
 * Stateless; each call compresses afresh (once per attack, not per connection).
 */
final class Compressed {

    private static final int CHUNK = 1 << 20;
    /** What RFC 7692 §7.2.1 has the sender remove from the end of a compressed message. */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};
    /** The window permessage-zstd allows when the agreement names none: 128 KiB. */
    private static final int ZSTD_WINDOW_LOG = 17;

    private Compressed() {
    }

    /**
     * {@code inflated} zero bytes as a permessage-deflate message payload: raw DEFLATE with a 32 KiB
     * window (what a client uses unless the server asks for less), flushed, with the
     * {@code 00 00 ff ff} tail removed (RFC 7692 §7.2.1).
     */
    static byte[] deflatedZeros(long inflated) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            byte[] zeros = new byte[CHUNK];
            byte[] out = new byte[CHUNK];
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            for (long left = inflated; left > 0; left -= CHUNK) {
                deflater.setInput(zeros, 0, (int) Math.min(CHUNK, left));
                while (!deflater.needsInput()) {
                    compressed.write(out, 0, deflater.deflate(out, 0, out.length, Deflater.NO_FLUSH));
                }
            }
            int n;
            do {
                n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
                compressed.write(out, 0, n);
            } while (n == out.length);
            byte[] bytes = compressed.toByteArray();
            if (!Arrays.equals(bytes, bytes.length - TAIL.length, bytes.length, TAIL, 0, TAIL.length)) {
                throw new IllegalStateException("a sync flush ends with 00 00 ff ff");
            }
            return Arrays.copyOf(bytes, bytes.length - TAIL.length);
        } finally {
            deflater.end();
        }
    }

    /**
     * {@code inflated} zero bytes as one zstd frame for permessage-zstd, with a 128 KiB window and
     * no content size in its header, so the receiver learns the size only by decompressing.
     */
    static byte[] zstdZeros(long inflated) {
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            ctx.setLevel(3);
            ctx.setWindowLog(ZSTD_WINDOW_LOG);
            ctx.setContentSize(false);
            ctx.setChecksum(false);
            ByteBuffer zeros = ByteBuffer.allocateDirect(CHUNK);
            ByteBuffer out = ByteBuffer.allocateDirect(CHUNK);
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            long left = inflated;
            boolean ended = false;
            while (!ended) {
                zeros.clear().limit((int) Math.min(CHUNK, left));
                left -= zeros.remaining();
                EndDirective directive = left == 0 ? EndDirective.END : EndDirective.CONTINUE;
                boolean done;
                do {
                    done = ctx.compressDirectByteBufferStream(out, zeros, directive);
                    out.flip();
                    byte[] piece = new byte[out.remaining()];
                    out.get(piece);
                    compressed.write(piece, 0, piece.length);
                    out.clear();
                } while (directive == EndDirective.CONTINUE ? zeros.hasRemaining() : !done);
                ended = directive == EndDirective.END;
            }
            return compressed.toByteArray();
        }
    }
}
