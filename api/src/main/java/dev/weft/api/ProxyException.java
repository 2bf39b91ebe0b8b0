package dev.weft.api;

import java.io.IOException;

/**
 * An HTTP proxy did not open the tunnel a client asked it for: it refused the {@code CONNECT}
 * (407 without the credentials it wants, 403 for a destination it does not allow, 502 when it
 * cannot reach the server...), answered with something that is not HTTP, or closed the connection
 * first. The message names the proxy, the destination and the proxy's status line.
 */
public class ProxyException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String proxy;
    private final int status;

    /**
     * @param proxy the proxy's {@code host:port}
     * @param status the status the proxy answered with, or 0 if it did not answer with one
     * @param message what happened
     */
    public ProxyException(String proxy, int status, String message) {
        super(message);
        this.proxy = proxy;
        this.status = status;
    }

    /** The proxy's {@code host:port}. */
    public String proxy() {
        return proxy;
    }

    /** The status the proxy answered with, or 0 if it did not answer with one. */
    public int status() {
        return status;
    }
}
