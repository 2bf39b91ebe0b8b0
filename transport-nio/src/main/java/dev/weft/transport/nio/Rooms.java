package dev.weft.transport.nio;

import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.Message;
import dev.weft.core.session.Broadcast;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named groups of a server's connections, for broadcasting to each group. A connection leaves
 * every room when it closes. A room exists while it has members. Thread-safe.
 *
 * <p>Every change of membership happens inside the map's atomic update of its room, so a room's
 * set is never changed once it has left the map: a member that joins while the last one leaves
 * lands in the room that broadcasts see, never in a set that was just dropped. A connection that
 * is a member from before a broadcast is called until after it returns receives it.
 */
public final class Rooms {

    private final ConcurrentHashMap<String, Set<Connection>> rooms = new ConcurrentHashMap<>();

    /** No rooms yet; give it to {@link WebSocketServer.Builder#rooms} to share it with handler factories. */
    public Rooms() {
    }

    /**
     * Adds {@code connection} to {@code room}.
     *
     * @return false if it was already a member, or is closed (a closed connection joins nothing)
     */
    public boolean join(String room, Connection connection) {
        if (connection.state() == ConnectionState.CLOSED) {
            return false;
        }
        boolean[] added = new boolean[1];
        rooms.compute(room, (r, members) -> {
            Set<Connection> joined = members == null ? ConcurrentHashMap.newKeySet() : members;
            added[0] = joined.add(connection);
            return joined;
        });
        // Closed meanwhile: its leaveAll may have passed this room already, so leave on its behalf.
        // (CLOSED is final, and leaveAll runs after it is reached.)
        if (added[0] && connection.state() == ConnectionState.CLOSED) {
            leave(room, connection);
            return false;
        }
        return added[0];
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

    /**
     * Removes {@code connection} from every room it is in. A join to another room made at the same
     * time may or may not be undone; once the connection is closed, none can be.
     */
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
     * Sends {@code message} to every member of {@code room}, encoding it once. Members that join or
     * leave while it runs may or may not receive it.
     *
     * @return how many members it was handed to
     */
    public int broadcast(String room, Message message) {
        // A member present throughout keeps this set non-empty, so it stays the room's set, and the
        // set's iterator sees every element present when it starts and not removed since.
        Set<Connection> members = rooms.get(room);
        return members == null ? 0 : Broadcast.send(message, members);
    }
}
