package dev.weft.core.session;

import dev.weft.core.message.Capacity;

import java.nio.ByteBuffer;

/**
 * Input that arrived while an extension still had output pending for an earlier frame, kept until
 * that output has all been handed on. It grows with the bytes that arrived, and little arrives
 * meanwhile: the session stops reading while output is pending. Not thread safe.
 */
final class InputBacklog {

    private static final byte[] EMPTY = new byte[0];

    private byte[] bytes = EMPTY;
    private int start;
    private int end;

    boolean isEmpty() {
        return start == end;
    }

    /** Copies what is left of {@code in} behind what is kept, consuming it. */
    void keep(ByteBuffer in) {
        int n = in.remaining();
        if (n == 0) {
            return;
        }
        if (end + n > bytes.length) {
            System.arraycopy(bytes, start, bytes, 0, end - start);
            end -= start;
            start = 0;
            if (end + n > bytes.length) {
                bytes = Capacity.grow(bytes, end + n, Integer.MAX_VALUE);
            }
        }
        in.get(bytes, end, n);
        end += n;
    }

    /** The kept bytes; pass the buffer back to {@link #consumed} once some have been read. */
    ByteBuffer view() {
        return ByteBuffer.wrap(bytes, start, end - start);
    }

    /** Forgets what was read from a {@link #view()}, up to its position. */
    void consumed(ByteBuffer view) {
        start = view.position();
    }

    /** Forgets everything and lets go of the storage. */
    void clear() {
        bytes = EMPTY;
        start = end = 0;
    }

    /** The storage held, in bytes. */
    long heldBytes() {
        return bytes.length;
    }
}
