package dev.weft.ext.zstd;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * Zstandard data made and read with zstd-jni directly, independently of the extension's own
 * compressor and decompressor: what a peer might send, and a check of what the extension sent.
 */
final class Zstandard implements AutoCloseable {

    private final ZstdCompressCtx ctx = new ZstdCompressCtx();

    private Zstandard(int windowLog, boolean checksum) {
        ctx.setLevel(3);
        ctx.setWindowLog(windowLog);
        ctx.setChecksum(checksum);
    }

    /** A compression stream with a 2^{@code windowLog} window. */
    static Zstandard stream(int windowLog) {
        return new Zstandard(windowLog, false);
    }

    /** A compression stream that ends its frames with a content checksum. */
    static Zstandard checksummed() {
        return new Zstandard(17, true);
    }

    /** Compresses {@code data}, then flushes (the frame goes on) or ends the frame. */
    byte[] compress(byte[] data, EndDirective last) {
        return compress(ByteBuffer.allocateDirect(Math.max(data.length, 1)).put(data).flip(), last);
    }

    /**
     * {@code count} zero bytes fed in pieces, so zstd does not know the size and the frame
     * declares none; then flushed or ended.
     */
    byte[] zeros(long count, EndDirective last) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        for (long fed = 0; fed < count; fed += chunk.capacity()) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), count - fed));
            all.writeBytes(compress(chunk, EndDirective.CONTINUE));
        }
        all.writeBytes(compress(ByteBuffer.allocateDirect(0), last));
        return all.toByteArray();
    }

    private byte[] compress(ByteBuffer in, EndDirective directive) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        while (true) {
            buffer.clear();
            boolean done = ctx.compressDirectByteBufferStream(buffer, in, directive);
            buffer.flip();
            byte[] b = new byte[buffer.remaining()];
            buffer.get(b);
            out.writeBytes(b);
            if (directive == EndDirective.CONTINUE ? !in.hasRemaining() && buffer.limit() < buffer.capacity() : done) {
                return out.toByteArray();
            }
        }
    }

    /** One whole frame, compressed in one piece: it declares its content size. */
    static byte[] frame(byte[] data) {
        try (Zstandard z = stream(17)) {
            return z.compress(data, EndDirective.END);
        }
    }

    /** Decompresses {@code data} (any number of whole or flushed frames) with a fresh decoder. */
    static byte[] decompress(byte[] data) {
        try (ZstdDecompressCtx d = new ZstdDecompressCtx()) {
            ByteBuffer in = ByteBuffer.allocateDirect(Math.max(data.length, 1)).put(data).flip();
            ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (true) {
                out.clear();
                d.decompressDirectByteBufferStream(out, in);
                out.flip();
                byte[] b = new byte[out.remaining()];
                out.get(b);
                all.writeBytes(b);
                if (!in.hasRemaining() && out.limit() < out.capacity()) {
                    return all.toByteArray();
                }
            }
        }
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        ctx.close();
    }
}
