package dev.weft.benchmarks.hostile;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Client frames as raw bytes, masked as RFC 6455 §5.3 requires, built without Weft's encoder so
 * that an attacker can write what no well-behaved encoder would: a header alone, declaring a
 * payload that never comes. Stateless.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 * | |1|2|3|       |K|             |                               |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     Extended payload length continued, if payload len == 127  |
 * + - - - - - - - - - - - - - - - +-------------------------------+
 * |                               |Masking-key, if MASK set to 1  |
 * +-------------------------------+-------------------------------+
 * </pre>
 */
final class ClientFrames {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;

    private static final int B0_FIN = 0x80;
    private static final int B0_RSV1 = 0x40;
    private static final int B1_MASK = 0x80;
    private static final int MASK_KEY_LENGTH = 4;

    private ClientFrames() {
    }

    /**
     * A header declaring {@code length} payload bytes, with {@code maskKey} (4 bytes) as its masking
     * key; the payload is the caller's to send, or not.
     */
    static byte[] header(boolean fin, boolean rsv1, int opcode, long length, byte[] maskKey) {
        int extended = length <= 125 ? 0 : length <= 0xffff ? 2 : 8;
        byte[] h = new byte[2 + extended + MASK_KEY_LENGTH];
        h[0] = (byte) ((fin ? B0_FIN : 0) | (rsv1 ? B0_RSV1 : 0) | opcode);
        h[1] = (byte) (B1_MASK | (extended == 0 ? (int) length : extended == 2 ? 126 : 127));
        for (int i = 0; i < extended; i++) {
            h[2 + i] = (byte) (length >>> (8 * (extended - 1 - i)));
        }
        System.arraycopy(maskKey, 0, h, 2 + extended, MASK_KEY_LENGTH);
        return h;
    }

    /** A whole masked frame carrying {@code payload[from, to)}, with a random masking key. */
    static byte[] frame(boolean fin, boolean rsv1, int opcode, byte[] payload, int from, int to) {
        byte[] key = maskKey();
        byte[] h = header(fin, rsv1, opcode, to - from, key);
        byte[] f = new byte[h.length + to - from];
        System.arraycopy(h, 0, f, 0, h.length);
        for (int i = from; i < to; i++) {
            f[h.length + i - from] = (byte) (payload[i] ^ key[(i - from) & 3]);
        }
        return f;
    }

    /** A whole frame carrying all of {@code payload}. */
    static byte[] frame(boolean fin, boolean rsv1, int opcode, byte[] payload) {
        return frame(fin, rsv1, opcode, payload, 0, payload.length);
    }

    /** A close frame with a code and no reason. */
    static byte[] close(int code) {
        return frame(true, false, CLOSE, new byte[] {(byte) (code >>> 8), (byte) code});
    }

    /** A single-frame text message. */
    static byte[] text(String text) {
        return frame(true, false, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** "The masking key is a 32-bit value chosen at random by the client" (RFC 6455 §5.3). */
    static byte[] maskKey() {
        byte[] key = new byte[MASK_KEY_LENGTH];
        ThreadLocalRandom.current().nextBytes(key);
        return key;
    }
}
