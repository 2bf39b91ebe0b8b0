package dev.weft.testing;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Bytes for a {@link RawClient} to send, and what a server sends back, read and asserted for the
 * {@link ServerContract}: HTTP statuses, whole messages, close frames, and the end of the TCP stream.
 */
final class OnTheWire {

    private OnTheWire() {
    }

    /** The status code of an HTTP response head. */
    static int status(String head) {
        if (!head.startsWith("HTTP/1.1 ") || head.length() < 12) {
            throw new AssertionError("not an HTTP/1.1 response: " + head);
        }
        return Integer.parseInt(head.substring(9, 12));
    }

    /** Reads one message, assembled from its frames, asserting it is of {@code opcode}; returns its payload. */
    static byte[] message(RawClient raw, Opcode opcode) throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        Frame frame = raw.readFrame();
        if (frame.opcode() != opcode) {
            throw new AssertionError("expected a " + opcode + " message but got " + describe(frame));
        }
        while (true) {
            payload.write(bytes(frame.payload()));
            if (frame.fin()) {
                return payload.toByteArray();
            }
            frame = raw.readFrame();
            if (frame.opcode() != Opcode.CONTINUATION) {
                throw new AssertionError("expected the " + opcode + " message to continue but got " + describe(frame));
            }
        }
    }

    /**
     * Reads the server's next frame, which must be a close frame with {@code code}, and then the end
     * of the stream: RFC 6455 §7.1.1 has the server close TCP first.
     */
    static void closedWith(RawClient raw, int code) throws IOException {
        closeFrame(raw, code);
        ends(raw, "its close frame");
    }

    /** Reads the server's next frame, which must be a close frame with {@code code}. */
    static void closeFrame(RawClient raw, int code) throws IOException {
        Frame frame = raw.readFrame();
        if (frame.opcode() != Opcode.CLOSE) {
            throw new AssertionError("expected a close frame with " + code + " but got " + describe(frame));
        }
        int got = frame.payloadLength() >= 2 ? frame.payload().getShort(frame.payload().position()) & 0xFFFF : -1;
        if (got != code) {
            throw new AssertionError("expected a close frame with " + code + " but got " + describe(frame));
        }
    }

    /**
     * Asserts the server ends the TCP stream with nothing more sent: a read returns end of stream,
     * or the connection is reset (a server that closes with some of our bytes unread resets it).
     */
    static void ends(RawClient raw, String after) throws IOException {
        try {
            if (!raw.readsEndOfStream()) {
                throw new AssertionError("the server sent more after " + after
                        + " where it should have ended the TCP connection");
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not end the TCP connection after " + after + " within "
                    + Serving.WAIT);
        } catch (SocketException reset) {
            // Reset rather than ended: ended all the same.
        }
    }

    /** Reads what follows an HTTP head (a body, if any) and asserts the server then ends the stream. */
    static void endsAfterBody(RawClient raw, String after) throws IOException {
        try {
            raw.readToEnd();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not end the TCP connection after " + after + " within "
                    + Serving.WAIT);
        } catch (SocketException reset) {
            // Reset rather than ended: ended all the same.
        }
    }

    /** A close frame's payload: the code, then the reason's bytes as given. */
    static byte[] closePayload(int code, byte[] reason) {
        return ByteBuffer.allocate(2 + reason.length).putShort((short) code).put(reason).array();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private static String describe(Frame frame) {
        byte[] payload = bytes(frame.payload());
        String shown = frame.opcode() == Opcode.CLOSE && payload.length >= 2
                ? "code " + (ByteBuffer.wrap(payload).getShort() & 0xFFFF) + " reason \""
                        + new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) + "\""
                : payload.length + " bytes";
        return (frame.fin() ? "" : "a fragment of ") + frame.opcode() + " frame, " + shown;
    }
}
