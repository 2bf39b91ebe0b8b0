package dev.weft.transport.blocking;

import dev.weft.api.Connection;

import java.io.IOException;
import java.io.Writer;

/**
 * A text message written as a stream of characters: each time the buffer fills it goes out as a
 * frame of the message (never splitting a surrogate pair between frames, so each frame's text is
 * whole characters), and closing the writer sends the last frame. Not thread-safe.
 */
final class MessageWriter extends Writer {

    private final Sender sender;
    private final Connection connection;
    private final StringBuilder buffer;
    private final int frameChars;
    private boolean closed;

    MessageWriter(Sender sender, Connection connection, int frameChars) {
        this.sender = sender;
        this.connection = connection;
        this.frameChars = frameChars;
        this.buffer = new StringBuilder(frameChars + 1);
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("the message has ended");
        }
        java.util.Objects.checkFromIndexSize(offset, length, chars.length);
        for (int i = 0; i < length; i++) {
            buffer.append(chars[offset + i]);
            if (buffer.length() >= frameChars) {
                sendPart(false);
            }
        }
    }

    /** Does nothing: frames go out as the buffer fills, and the last when the writer is closed. */
    @Override
    public void flush() {
    }

    /** Ends the message with what is buffered. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            sendPart(true);
        }
    }

    private void sendPart(boolean last) throws IOException {
        // A high surrogate waits for its pair in the next frame.
        boolean keepOne = !last && buffer.length() > 0 && Character.isHighSurrogate(buffer.charAt(buffer.length() - 1));
        int end = keepOne ? buffer.length() - 1 : buffer.length();
        String part = buffer.substring(0, end);
        buffer.delete(0, end);
        sender.send(() -> connection.sendText(part, last));
    }
}
