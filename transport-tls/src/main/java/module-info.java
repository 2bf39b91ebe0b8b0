/**
 * {@code wss://} for the NIO transport: a TLS network layer on the JDK's {@code SSLEngine}, the
 * factories servers and clients are built with, and self-signed certificates for development.
 */
module dev.weft.transport.tls {
    requires transitive dev.weft.transport.nio;

    exports dev.weft.transport.tls;
}
