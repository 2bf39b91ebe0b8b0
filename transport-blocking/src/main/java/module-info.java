/**
 * Weft over {@code java.net.Socket}, one thread per connection: adopt an accepted or connected
 * socket (plain or TLS), send and receive frames, messages or streams with blocking calls, or run
 * a server or client whose handlers are the same {@code WebSocketHandler}s the NIO transport runs.
 * On Java 21 and later its threads are virtual. Applications see {@code dev.weft.transport.blocking}
 * and the api; the engine and this module's {@code socket} package stay inside.
 */
module dev.weft.transport.blocking {
    requires transitive dev.weft.api;
    requires dev.weft.core;
    requires transitive dev.weft.cluster;

    exports dev.weft.transport.blocking;
}
