package dev.weft.cli.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The messages a benchmark connection sends, and the check that what comes back is what was sent.
 * Each message is a fixed template of the chosen size whose first bytes carry the message's
 * sequence number (16 hex digits for text, 8 bytes for binary) when it is large enough to hold
 * them, so an echo that comes back out of order, truncated or altered is caught. Text is JSON-like
 * ASCII, so that it compresses as API traffic does.
 */
public final class EchoPayload {

    private static final int TEXT_SEQUENCE = 16;
    private static final int BINARY_SEQUENCE = Long.BYTES;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final int size;
    private final boolean binary;
    private final String text;
    private final byte[] bytes;

    /**
     * @param size each message's size in bytes
     * @param binary binary messages rather than text
     */
    public EchoPayload(int size, boolean binary) {
        if (size < 0) {
            throw new IllegalArgumentException("a message size cannot be negative: " + size);
        }
        this.size = size;
        this.binary = binary;
        this.text = jsonLike(size);
        this.bytes = text.getBytes(StandardCharsets.US_ASCII);
        if (binary) {
            // Not text: every byte value, so binary frames are not mistaken for compressible text.
            for (int i = 0; i < size; i++) {
                bytes[i] = (byte) (i * 31 + (i >>> 8));
            }
        }
    }

    /** Each message's size in bytes. */
    public int size() {
        return size;
    }

    /** Whether the messages are binary. */
    public boolean binary() {
        return binary;
    }

    /** A reusable builder for the text messages of one connection (only its sequence digits change). */
    public StringBuilder newTextBuffer() {
        return new StringBuilder(text);
    }

    /** Text message {@code sequence}, written into {@code buffer} from {@link #newTextBuffer()}. */
    public CharSequence text(StringBuilder buffer, long sequence) {
        if (size >= TEXT_SEQUENCE) {
            for (int i = TEXT_SEQUENCE - 1; i >= 0; i--) {
                buffer.setCharAt(i, HEX[(int) (sequence >>> ((TEXT_SEQUENCE - 1 - i) * 4)) & 0xf]);
            }
        }
        return buffer;
    }

    /** Binary message {@code sequence}, in a new buffer (a send may hold on to it until written). */
    public ByteBuffer binary(long sequence) {
        ByteBuffer message = ByteBuffer.wrap(bytes.clone());
        if (size >= BINARY_SEQUENCE) {
            message.putLong(0, sequence);
        }
        return message;
    }

    /** Whether {@code echo} is text message {@code sequence}. */
    public boolean matches(String echo, long sequence) {
        if (binary || echo.length() != size) {
            return false;
        }
        if (size < TEXT_SEQUENCE) {
            return echo.equals(text);
        }
        long got = 0;
        for (int i = 0; i < TEXT_SEQUENCE; i++) {
            int digit = Character.digit(echo.charAt(i), 16);
            if (digit < 0) {
                return false;
            }
            got = got << 4 | digit;
        }
        return got == sequence && echo.regionMatches(TEXT_SEQUENCE, text, TEXT_SEQUENCE, size - TEXT_SEQUENCE);
    }

    /** Whether {@code echo} is binary message {@code sequence}; reads without moving its position. */
    public boolean matches(ByteBuffer echo, long sequence) {
        if (!binary || echo.remaining() != size) {
            return false;
        }
        int from = 0;
        if (size >= BINARY_SEQUENCE) {
            if (echo.getLong(echo.position()) != sequence) {
                return false;
            }
            from = BINARY_SEQUENCE;
        }
        return echo.slice(echo.position() + from, size - from).equals(ByteBuffer.wrap(bytes, from, size - from));
    }

    /** {@code size} ASCII characters of JSON-like records, the same every time. */
    static String jsonLike(int size) {
        StringBuilder s = new StringBuilder(size + 96);
        for (int i = 0; s.length() < size; i++) {
            s.append("{\"id\":").append(1000 + i).append(",\"user\":\"user-").append(i % 97)
                    .append("\",\"active\":").append(i % 3 != 0).append(",\"score\":").append(i * 37 % 1000)
                    .append(",\"tags\":[\"alpha\",\"beta\"]},");
        }
        return s.substring(0, size);
    }
}
