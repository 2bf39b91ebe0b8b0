package dev.weft.core.handshake;

import dev.weft.api.HttpProxy;
import dev.weft.api.ProxyException;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.HandshakeResponse;
import dev.weft.api.handshake.Headers;
import dev.weft.api.handshake.HttpResponses;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An HTTP CONNECT tunnel through a proxy (RFC 9110 §9.3.6) for one connection, sans IO: the
 * transport connects to the proxy, sends {@link #requestBytes()}, then feeds what the proxy sends
 * back, and the driver answers {@link NeedMore} until the proxy's final response head is complete,
 * then once either {@link Established} (the connection now reaches the server: start TLS or the
 * opening handshake) or {@link Refused}. Interim 1xx responses are skipped. Every client transport
 * runs this one driver before its {@link ClientOpening}; the clock stays with the transport.
 *
 * <p>Not thread-safe: one driver serves one connection attempt, fed by one thread.
 */
public final class ProxyTunnel {

    private static final NeedMore NEED_MORE = new NeedMore();

    private final HttpProxy proxy;
    private final String target;
    private final byte[] request;
    private final int maxHeadBytes;
    private final int maxHeaders;
    private HttpHeadParser parser;
    /** Bytes of the heads fed so far, interim ones included: all of them share one bound. */
    private int headBytes;
    private boolean over;

    /**
     * @param proxy the proxy, and the credentials to send it
     * @param host the server's host, as a URI has it (an IPv6 literal in brackets or not)
     * @param port the server's port
     * @param limits bounds the proxy's response heads, in all: {@link WebSocketConfig#maxHandshakeHeadSize()}
     *     and {@link WebSocketConfig#maxHandshakeHeaders()}
     */
    public ProxyTunnel(HttpProxy proxy, String host, int port, WebSocketConfig limits) {
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        // "the request-target consists of only the uri-host and port number of the tunnel
        // destination, separated by a colon" (RFC 9112 §3.2.3); an IPv6 literal keeps its brackets.
        this.target = (bare.indexOf(':') >= 0 ? "[" + bare + "]" : bare) + ":" + port;
        // "A client MUST send a Host header field in all HTTP/1.1 request messages." (RFC 9112 §3.2)
        Headers.Builder headers = Headers.builder().add("Host", target);
        proxy.proxyAuthorization().ifPresent(credentials -> headers.add("Proxy-Authorization", credentials));
        this.request = HttpResponses.encode("CONNECT " + target + " HTTP/1.1", headers.build(), new byte[0]).array();
        this.maxHeadBytes = limits.maxHandshakeHeadSize();
        this.maxHeaders = limits.maxHandshakeHeaders();
        this.parser = HttpHeadParser.forResponse(maxHeadBytes, maxHeaders);
    }

    /** What {@link #feed} or {@link #endOfInput} answered. */
    public sealed interface Step permits NeedMore, Established, Refused {
    }

    /** The final head is not complete yet: every byte fed so far is held; feed more. */
    public record NeedMore() implements Step {
    }

    /**
     * The proxy answered 2xx: from here on the connection carries the server's bytes.
     *
     * @param leftover the bytes fed after the head, already the server's (normally none, as the
     *     server waits for the client to speak first): a view of the buffer last fed, valid until
     *     the caller reuses that buffer
     */
    public record Established(ByteBuffer leftover) implements Step {
    }

    /**
     * No tunnel: close the connection and report {@code cause}, whose status is the proxy's if it
     * answered with one other than 2xx, else 0 (a malformed or oversized head, a closed connection).
     */
    public record Refused(ProxyException cause) implements Step {
    }

    /** The {@code CONNECT} request, to send before feeding anything: a new read-only buffer on each call. */
    public ByteBuffer requestBytes() {
        return ByteBuffer.wrap(request).asReadOnlyBuffer();
    }

    /** The destination as the request names it, {@code host:port}. */
    public String target() {
        return target;
    }

    /**
     * Feeds bytes that arrived from the proxy. Before the final head is complete, takes them all and
     * answers {@link NeedMore}; the step that completes it is final, takes every byte of
     * {@code bytes} too, and hands those after the head back as {@link Established#leftover()}.
     *
     * @throws IllegalStateException if a final step was already answered
     */
    public Step feed(ByteBuffer bytes) {
        checkNotOver();
        try {
            while (true) {
                int start = bytes.position();
                boolean complete = parser.parse(bytes);
                headBytes += bytes.position() - start;
                if (!complete) {
                    return NEED_MORE;
                }
                HandshakeResponse response = parser.response();
                int status = response.status();
                // "A client MUST be able to parse one or more 1xx responses received prior to a
                // final response, even if the client does not expect one." (RFC 9110 §15.2)
                if (status >= 200 || status < 100) {
                    return finalStep(bytes, response);
                }
                if (headBytes >= maxHeadBytes) {
                    throw new HandshakeException(0, "the heads are larger than " + maxHeadBytes + " bytes");
                }
                parser = HttpHeadParser.forResponse(maxHeadBytes - headBytes, maxHeaders);
            }
        } catch (HandshakeException e) {
            return refused(bytes, 0, "the proxy " + proxy.authority() + " answered the CONNECT to " + target
                    + " with no valid HTTP response: " + e.getMessage());
        }
    }

    /**
     * The proxy closed the connection before its response head was complete.
     *
     * @throws IllegalStateException if a final step was already answered
     */
    public Refused endOfInput() {
        checkNotOver();
        over = true;
        return new Refused(new ProxyException(proxy.authority(), 0,
                "the proxy " + proxy.authority() + " closed the connection before answering the CONNECT to " + target));
    }

    private Step finalStep(ByteBuffer bytes, HandshakeResponse response) {
        int status = response.status();
        // "Any 2xx (Successful) response indicates that the sender (and all inbound proxies) will
        // switch to tunnel mode immediately after the response header section" (RFC 9110 §9.3.6)
        if (status >= 200 && status < 300) {
            over = true;
            ByteBuffer leftover = bytes.slice();
            bytes.position(bytes.limit());
            return new Established(leftover);
        }
        String reason = response.reason().isEmpty() ? "" : " " + response.reason();
        return refused(bytes, status, "the proxy " + proxy.authority() + " refused the tunnel to " + target + ": "
                + status + reason);
    }

    private Refused refused(ByteBuffer bytes, int status, String message) {
        over = true;
        bytes.position(bytes.limit());
        return new Refused(new ProxyException(proxy.authority(), status, message));
    }

    private void checkNotOver() {
        if (over) {
            throw new IllegalStateException("the tunnel's opening is over");
        }
    }
}
