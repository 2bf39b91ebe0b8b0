package dev.weft.cluster;

import dev.weft.api.Connection;
import dev.weft.api.Message;

/**
 * How a room's local members receive one message. Servers give their rooms one that encodes the
 * message once for every member that can take the same frame ({@link Rooms#serve}); the
 * default sends to each member in turn.
 */
@FunctionalInterface
public interface Fanout {

    /** Sends each message with {@link Connection#sendText} or {@link Connection#sendBinary}. */
    Fanout EACH = (message, recipients) -> {
        int sent = 0;
        for (Connection c : recipients) {
            if (!c.isOpen()) {
                continue;
            }
            if (message instanceof Message.Text t) {
                c.sendText(t.text());
            } else {
                c.sendBinary(((Message.Binary) message).data().duplicate());
            }
            sent++;
        }
        return sent;
    };

    /**
     * Hands {@code message} to every open connection of {@code recipients}, in call order with the
     * caller's other sends; never blocks on the network.
     *
     * @return how many it was handed to
     */
    int send(Message message, Iterable<? extends Connection> recipients);
}
