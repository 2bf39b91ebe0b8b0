package dev.weft.transport.blocking;

import dev.weft.api.Connection;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A binary message written as a stream: each time the buffer fills it goes out as a frame of the
 * message, and closing the stream sends the last frame. Not thread-safe, like any stream.
 */
final class MessageOutputStream extends OutputStream {

    private final Sender sender;
    private final Connection connection;
    private final byte[] buffer;
    private int filled;
    private boolean closed;

    MessageOutputStream(Sender sender, Connection connection, int frameSize) {
        this.sender = sender;
        this.connection = connection;
        this.buffer = new byte[frameSize];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        checkOpen();
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            if (filled == buffer.length) {
                sendPart(false);
            }
            int n = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, n);
            filled += n;
            offset += n;
            length -= n;
        }
    }

    /** Ends the message with what is buffered (an empty last frame if nothing is). */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            sendPart(true);
        }
    }

    private void sendPart(boolean last) throws IOException {
        ByteBuffer part = ByteBuffer.wrap(buffer, 0, filled).slice();
        // The engine may keep the buffer until it is written, which it is when send returns.
        sender.send(() -> connection.sendBinary(part, last));
        filled = 0;
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("the message has ended");
        }
    }
}
