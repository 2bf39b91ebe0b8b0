package dev.weft.core.test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Raw DEFLATE data as the deflate extensions' peers write it, for the tests of permessage-deflate and
 * deflate-frame (core's test-jar): sync-flushed with its 4 last octets removed, as both send a message
 * or a frame, or finished with a final (BFINAL) block, as some peers do.
 */
public final class RawDeflate {

    private RawDeflate() {
    }

    /**
     * {@code data} deflated by {@code deflater} and sync-flushed, the {@code 00 00 ff ff} that ends
     * the flush removed (RFC 7692 §7.2.1). The deflater keeps its window for the next call, as a
     * sender with context takeover does.
     */
    public static byte[] flushed(Deflater deflater, byte[] data) {
        deflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length);
        byte[] bytes = out.toByteArray();
        return Arrays.copyOf(bytes, bytes.length - 4);
    }

    /** {@code data} sync-flushed by a deflater of its own at the default level, the last 4 octets removed. */
    public static byte[] flushed(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            return flushed(deflater, data);
        } finally {
            deflater.end();
        }
    }

    /** {@code text} in UTF-8, sync-flushed by a deflater of its own, the last 4 octets removed. */
    public static byte[] flushed(String text) {
        return flushed(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code text} in UTF-8 as one whole raw DEFLATE stream, its last block with BFINAL set. */
    public static byte[] finished(String text) {
        return finished(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code data} as one whole raw DEFLATE stream at the default level, its last block with BFINAL set. */
    public static byte[] finished(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** The parts one after the other, as a peer puts them in one payload. */
    public static byte[] joined(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
