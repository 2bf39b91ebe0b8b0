package dev.weft.cluster;

/**
 * The names of the broker channels a cluster's nodes share: one per room (Socket.IO's dynamic mode:
 * a node hears only the rooms it has members in) or one for every room (fewer subscriptions; every
 * node hears everything), one for broadcasts to every connection, and one for member counts.
 */
final class Channels {

    private final String prefix;
    private final boolean perRoom;

    Channels(String prefix, boolean perRoom) {
        this.prefix = prefix;
        this.perRoom = perRoom;
    }

    boolean perRoom() {
        return perRoom;
    }

    /** The channel a room's messages are published on. */
    String of(String room) {
        return perRoom ? prefix + "room:" + room : prefix + "rooms";
    }

    /** The room a per-room channel belongs to, or null for another channel. */
    String roomOf(String channel) {
        String start = prefix + "room:";
        return perRoom && channel.startsWith(start) ? channel.substring(start.length()) : null;
    }

    /** The channel of broadcasts to every connection of every node. */
    String all() {
        return prefix + "all";
    }

    /** The channel every node publishes its member counts on. */
    String presence() {
        return prefix + "presence";
    }
}
