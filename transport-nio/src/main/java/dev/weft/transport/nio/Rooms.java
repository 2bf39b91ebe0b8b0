package dev.weft.transport.nio;

import dev.weft.api.Connection;
import dev.weft.api.Message;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named groups of a server's connections, for broadcasting to each group. A connection leaves
 * every room when it closes. A room exists while it has members. Thread-safe.
 */
public final class Rooms {

    private final ConcurrentHashMap<String, Set<Connection>> rooms = new ConcurrentHashMap<>();

    /** No rooms yet; give it to {@link WebSocketServer.Builder#rooms} to share it with handler factories. */
    public Rooms() {
    }

    /** Adds {@code connection} to {@code room}; returns false if it was already a member. */
    public boolean join(String room, Connection connection) {
        return rooms.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(connection);
    }

    /** Removes {@code connection} from {@code room}; returns false if it was not a member. */
    public boolean leave(String room, Connection connection) {
        boolean[] removed = new boolean[1];
        rooms.computeIfPresent(room, (r, members) -> {
            removed[0] = members.remove(connection);
            return members.isEmpty() ? null : members;
        });
        return removed[0];
    }

    /** Removes {@code connection} from every room. */
    public void leaveAll(Connection connection) {
        for (String room : rooms.keySet()) {
            leave(room, connection);
        }
    }

    /** The members of {@code room} now (a copy). */
    public Set<Connection> members(String room) {
        Set<Connection> members = rooms.get(room);
        return members == null ? Set.of() : Set.copyOf(members);
    }

    /** The rooms that have members now. */
    public Set<String> names() {
        return Set.copyOf(rooms.keySet());
    }

    /**
     * Sends {@code message} to every member of {@code room}, encoding it once.
     *
     * @return how many members it was handed to
     */
    public int broadcast(String room, Message message) {
        Set<Connection> members = rooms.get(room);
        return members == null ? 0 : Broadcaster.send(message, members);
    }
}
