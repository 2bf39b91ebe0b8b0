/**
 * Weft's public types: frames, messages, connections and handlers, handshake views and the
 * interceptor hook, configuration, the extension SPI and the metrics listener SPI. Depends on the JDK only.
 */
module dev.weft.api {
    exports dev.weft.api;
    exports dev.weft.api.extension;
    exports dev.weft.api.handshake;
    exports dev.weft.api.metrics;
    exports dev.weft.api.tls;

    uses dev.weft.api.extension.ExtensionFactory;
}
