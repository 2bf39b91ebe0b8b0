package dev.weft.cli.command;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.Message;
import dev.weft.api.WebSocketHandler;
import dev.weft.cluster.Rooms;

import java.nio.ByteBuffer;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * One member of a chat room: joins the room on open, sends each text message it receives to
 * everyone in the room, itself included, so every member on a node sees the same order, and
 * leaves the room when its connection closes (as the server would make it anyway). With
 * {@code --cluster} the room spans nodes: members on other nodes see each node's messages in that
 * node's order. The server relays text as it came; the page gives it a shape (a nickname and the
 * text, as JSON).
 */
final class ChatHandler implements WebSocketHandler {

    /** The room of {@code /chat} itself. */
    static final String DEFAULT_ROOM = "lobby";

    private static final System.Logger LOG = System.getLogger(ChatHandler.class.getName());
    private static final String PREFIX = "/chat";

    private final Rooms rooms;
    private final String room;

    ChatHandler(Rooms rooms, String room) {
        this.rooms = rooms;
        this.room = room;
    }

    /**
     * The room a request path names: what follows {@code /chat/} ({@code /chat/room1} is
     * {@code room1}), or {@link #DEFAULT_ROOM} for {@code /chat} and {@code /chat/}.
     */
    static String roomOf(String path) {
        String rest = path.startsWith(PREFIX + "/") ? path.substring(PREFIX.length() + 1) : "";
        return rest.isEmpty() ? DEFAULT_ROOM : rest;
    }

    @Override
    public void onOpen(Connection connection) {
        rooms.join(room, connection);
        LOG.log(DEBUG, () -> "chat " + room + ": " + connection.remoteAddress() + " joined");
    }

    @Override
    public void onText(Connection connection, String text) {
        rooms.broadcast(room, Message.text(text));
    }

    @Override
    public void onBinary(Connection connection, ByteBuffer data) {
        connection.close(CloseCodes.UNSUPPORTED_DATA, "the chat carries text messages only");
    }

    @Override
    public void onClose(Connection connection, int code, String reason) {
        rooms.leave(room, connection);
        LOG.log(DEBUG, () -> "chat " + room + ": " + connection.remoteAddress() + " left, " + new CloseStatus(code, reason));
    }
}
