package dev.weft.api.tls;

/**
 * Whether a server asks its clients for a certificate (TLS client authentication). Once asked, a
 * client that sends a certificate the server does not trust fails the handshake, under
 * {@link #WANT} as under {@link #NEED}; a client built on the JDK sends only a certificate from an
 * issuer the server names, and none otherwise.
 */
public enum ClientAuth {
    /** The server asks for none. */
    NONE,
    /** The server asks, and a client that sends none still connects. */
    WANT,
    /** The server asks, and a client that sends none fails the handshake. */
    NEED
}
