/**
 * Weft's sans-IO WebSocket engine: it is fed bytes and time and produces events and bytes, and
 * never touches a socket. Transports ({@code dev.weft.transport.*}) and tests drive it.
 */
module dev.weft.core {
    requires transitive dev.weft.api;

    exports dev.weft.core.frame;
    exports dev.weft.core.handshake;
    exports dev.weft.core.message;
    exports dev.weft.core.extension;
    exports dev.weft.core.session;

    uses dev.weft.api.extension.ExtensionFactory;
}
