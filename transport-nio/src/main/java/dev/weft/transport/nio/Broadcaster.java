package dev.weft.transport.nio;

import dev.weft.api.Connection;
import dev.weft.api.Message;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.core.frame.FrameEncoder;
import dev.weft.core.message.Utf8Encoder;
import dev.weft.core.session.Session;

import java.nio.ByteBuffer;

/**
 * Sends one message to many connections, encoding its frame once: a server's frames are not
 * masked, so every recipient without a frame-transforming extension gets the very same bytes (each
 * through its own read-only view). Others get the message sent the ordinary way.
 */
final class Broadcaster {

    private Broadcaster() {
    }

    /** @return how many open connections the message was handed to */
    static int send(Message message, Iterable<? extends Connection> recipients) {
        ByteBuffer payload = message instanceof Message.Text t
                ? ByteBuffer.wrap(Utf8Encoder.encode(t.text()))
                : ((Message.Binary) message).data().slice();
        ByteBuffer frame = null;
        int sent = 0;
        for (Connection c : recipients) {
            if (!c.isOpen()) {
                continue;
            }
            if (c instanceof Session s && s.acceptsEncodedFrames()) {
                if (frame == null) {
                    frame = encode(message instanceof Message.Text ? Opcode.TEXT : Opcode.BINARY, payload);
                }
                s.sendEncoded(frame.duplicate());
            } else if (message instanceof Message.Text t) {
                c.sendText(t.text());
            } else {
                c.sendBinary(payload.duplicate());
            }
            sent++;
        }
        return sent;
    }

    private static ByteBuffer encode(Opcode opcode, ByteBuffer payload) {
        ByteBuffer head = new FrameEncoder(Role.SERVER, WebSocketServer.NO_MASKING)
                .encode(FrameEncoder.firstByte(true, 0, opcode.code()), payload);
        return ByteBuffer.allocate(head.remaining() + payload.remaining())
                .put(head).put(payload.duplicate()).flip().asReadOnlyBuffer();
    }
}
