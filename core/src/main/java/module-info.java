/**
 * Weft's sans-IO WebSocket engine: it is fed bytes and time and produces events and bytes, and
 * never touches a socket. Internal: applications compile against {@code dev.weft.api} and a
 * transport, so the engine's packages are exported only to Weft's own transports and testing
 * module, which drive it.
 */
module dev.weft.core {
    requires transitive dev.weft.api;

    exports dev.weft.core.frame
            to dev.weft.transport.nio, dev.weft.transport.tls, dev.weft.transport.blocking, dev.weft.testing;
    exports dev.weft.core.handshake
            to dev.weft.transport.nio, dev.weft.transport.tls, dev.weft.transport.blocking, dev.weft.testing;
    exports dev.weft.core.message to dev.weft.transport.nio, dev.weft.transport.tls, dev.weft.transport.blocking;
    exports dev.weft.core.extension
            to dev.weft.transport.nio, dev.weft.transport.tls, dev.weft.transport.blocking, dev.weft.testing;
    exports dev.weft.core.session
            to dev.weft.transport.nio, dev.weft.transport.tls, dev.weft.transport.blocking, dev.weft.testing;
    exports dev.weft.core.log to dev.weft.transport.nio, dev.weft.transport.blocking;

    uses dev.weft.api.extension.ExtensionFactory;
}
