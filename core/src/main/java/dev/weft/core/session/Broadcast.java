package dev.weft.core.session;

import dev.weft.api.Connection;
import dev.weft.api.Message;
import dev.weft.api.Opcode;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.message.Utf8Encoder;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one message to many connections, encoding it once per set of agreed extensions: a server's
 * frames are not masked, so recipients whose extensions keep no history between messages (none at
 * all, or permessage-deflate with {@code server_no_context_takeover}) and agreed equal parameters
 * can all take the very same bytes, compressed once. Other recipients (a client's connections, or
 * a connection the application wrapped) get the message sent the ordinary way. Every transport's
 * rooms and broadcasts go through here.
 *
 * <p>Encoding happens on the calling thread, and every recipient's send is handed over in call
 * order, so a broadcast is ordered with the caller's other sends as any send is.
 */
public final class Broadcast {

    /** What a connection made by Weft offers a broadcast besides {@link Connection}. */
    public interface Recipient {

        /**
         * Whether it takes frames made by {@link #encodeShared}: a server connection whose every
         * extension encodes each message without reference to earlier ones.
         */
        boolean acceptsEncodedFrames();

        /** The agreed extensions: recipients with equal ones take the same frame. */
        List<ExtensionParameters> extensions();

        /**
         * Encodes a whole data message into one frame, header and payload, as this connection would
         * send it, without touching its state. Any thread.
         *
         * @param opcode {@link Opcode#TEXT} (with valid UTF-8) or {@link Opcode#BINARY}
         * @param payload the message, not changed
         * @return the frame, read-only
         * @throws IllegalStateException unless {@link #acceptsEncodedFrames()}
         */
        ByteBuffer encodeShared(Opcode opcode, ByteBuffer payload);

        /**
         * Sends a frame made by {@link #encodeShared} here or on a connection with equal extensions.
         * Refused unless it accepts encoded frames, is open, and is not sending a message in parts.
         *
         * @param frame the whole frame; read, never changed (pass each recipient its own duplicate)
         */
        CompletableFuture<Void> sendEncoded(ByteBuffer frame);
    }

    private Broadcast() {
    }

    /** @return how many open connections the message was handed to */
    public static int send(Message message, Iterable<? extends Connection> recipients) {
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
            if (c instanceof Recipient r && r.acceptsEncodedFrames()) {
                ByteBuffer frame = frames.computeIfAbsent(r.extensions(), k -> r.encodeShared(opcode, payload));
                r.sendEncoded(frame.duplicate());
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
