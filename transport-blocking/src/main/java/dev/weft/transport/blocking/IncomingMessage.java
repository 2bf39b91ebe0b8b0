package dev.weft.transport.blocking;

import dev.weft.transport.blocking.socket.Inbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;

/**
 * A message being received, read as a stream while its frames arrive: never held whole. A binary
 * message is read through {@link #inputStream()}, a text message through {@link #reader()}. Its
 * text is validated as it arrives; a message that turns out invalid closes the connection and
 * the stream fails. Read it on the thread that received it, or at least one thread at a time.
 */
public final class IncomingMessage {

    /** Takes the next part of this message from the connection, reading it as needed. */
    @FunctionalInterface
    interface Parts {
        /** The next part; null if the connection closed first. */
        Inbox.Part next() throws IOException;
    }

    private final boolean text;
    private final Parts parts;
    private Inbox.Part part;
    private int offset;
    private boolean ended;

    IncomingMessage(Inbox.Part first, Parts parts) {
        this.text = first.text() != null;
        this.part = first;
        this.parts = parts;
    }

    /** Whether it is a text message (else binary). */
    public boolean isText() {
        return text;
    }

    /**
     * The bytes of a binary message; ends with the message.
     *
     * @throws IllegalStateException for a text message
     */
    public InputStream inputStream() {
        if (text) {
            throw new IllegalStateException("a text message is read with reader()");
        }
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] bytes, int off, int len) throws IOException {
                java.util.Objects.checkFromIndexSize(off, len, bytes.length);
                if (len == 0) {
                    return 0;
                }
                ByteBuffer data = nextData();
                if (data == null) {
                    return -1;
                }
                int n = Math.min(len, data.remaining());
                data.get(bytes, off, n);
                return n;
            }
        };
    }

    /**
     * The characters of a text message; ends with the message.
     *
     * @throws IllegalStateException for a binary message
     */
    public Reader reader() {
        if (!text) {
            throw new IllegalStateException("a binary message is read with inputStream()");
        }
        return new Reader() {
            @Override
            public int read(char[] chars, int off, int len) throws IOException {
                java.util.Objects.checkFromIndexSize(off, len, chars.length);
                if (len == 0) {
                    return 0;
                }
                String data = nextText();
                if (data == null) {
                    return -1;
                }
                int n = Math.min(len, data.length() - offset);
                data.getChars(offset, offset + n, chars, off);
                offset += n;
                return n;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Reads past what is left of the message, so the next receive starts at the next one. */
    void skipRest() throws IOException {
        while (advance()) {
            // dropping each part
        }
    }

    /** The current binary part with bytes left, or null at the end of the message. */
    private ByteBuffer nextData() throws IOException {
        while (part == null || !part.binary().hasRemaining()) {
            if (!advance()) {
                return null;
            }
        }
        return part.binary();
    }

    private String nextText() throws IOException {
        while (part == null || offset == part.text().length()) {
            if (!advance()) {
                return null;
            }
        }
        return part.text();
    }

    /** Moves to the next part: false at the end of the message. */
    private boolean advance() throws IOException {
        if (ended || part != null && part.last()) {
            ended = true;
            return false;
        }
        part = parts.next();
        offset = 0;
        if (part == null) {
            ended = true;
            throw new IOException("the connection closed in the middle of the message");
        }
        return true;
    }
}
