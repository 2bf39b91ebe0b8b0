/**
 * Weft over TCP with {@code java.nio} selectors: event loops, a server with endpoints, rooms and
 * broadcast, and a client. Applications see {@code dev.weft.transport.nio} and the api; the engine
 * ({@code dev.weft.core}) and this module's own loop, server and client packages stay inside.
 */
module dev.weft.transport.nio {
    requires transitive dev.weft.api;
    requires dev.weft.core;
    requires transitive dev.weft.cluster;

    exports dev.weft.transport.nio;
}
