/**
 * Weft over TCP with {@code java.nio} selectors: event loops, a server with endpoints, rooms and
 * broadcast, and a client.
 */
module dev.weft.transport.nio {
    requires transitive dev.weft.core;

    exports dev.weft.transport.nio;
}
