/**
 * {@code wss://} for the NIO transport: a TLS network layer on the JDK's {@code SSLEngine}, and the
 * factories servers and clients are built with, configured by {@code dev.weft.api.tls}.
 */
module dev.weft.transport.tls {
    requires transitive dev.weft.transport.nio;

    exports dev.weft.transport.tls;
}
