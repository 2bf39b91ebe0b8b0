package dev.weft.transport.nio;

import dev.weft.api.Connection;
import dev.weft.api.Message;
import dev.weft.api.Opcode;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.message.Utf8Encoder;
import dev.weft.core.session.Session;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends one message to many connections, encoding it once per set of agreed extensions: a server's
 * frames are not masked, so recipients whose extensions keep no history between messages (none at
 * all, or permessage-deflate with {@code server_no_context_takeover}) and agreed equal parameters
 * can all take the very same bytes, compressed once. Other recipients get the message sent the
 * ordinary way.
 *
 * <p>Encoding happens on the calling thread, and every recipient's send is handed over in call
 * order, so a broadcast is ordered with the caller's other sends as any send is.
 */
final class Broadcaster {

    private Broadcaster() {
    }

    /** @return how many open connections the message was handed to */
    static int send(Message message, Iterable<? extends Connection> recipients) {
        Opcode opcode = message instanceof Message.Text ? Opcode.TEXT : Opcode.BINARY;
        ByteBuffer payload = message instanceof Message.Text t
                ? ByteBuffer.wrap(Utf8Encoder.encode(t.text()))
                : ((Message.Binary) message).data().slice();
        Map<List<ExtensionParameters>, ByteBuffer> frames = new HashMap<>();
        int sent = 0;
        for (Connection c : recipients) {
            if (!c.isOpen()) {
                continue;
            }
            if (c instanceof Session s && s.acceptsEncodedFrames()) {
                ByteBuffer frame = frames.computeIfAbsent(s.extensions(), k -> s.encodeShared(opcode, payload));
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
}
