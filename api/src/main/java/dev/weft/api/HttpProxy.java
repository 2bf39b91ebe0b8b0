package dev.weft.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP proxy that a client reaches its servers through: for each connection it asks the proxy
 * for a tunnel with {@code CONNECT host:port} (RFC 9110 §9.3.6) and, once the proxy answers 2xx,
 * runs TLS (for {@code wss://}) and the opening handshake inside it, so the server's certificate is
 * checked for the server's host name as without a proxy. Optional Basic credentials (RFC 7617) go
 * in a {@code Proxy-Authorization} header.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the password.
 */
public final class HttpProxy {

    private static final String NOT_A_PROXY_URI = "not a proxy URI: expected http://[user:password@]host[:port]";

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private HttpProxy(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /**
     * A proxy without credentials.
     *
     * @param host a host name or an IP address (an IPv6 literal with or without brackets)
     * @param port 1 to 65535
     */
    public static HttpProxy of(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("the proxy's host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the proxy's port is not 1 to 65535: " + port);
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return new HttpProxy(bare, port, null, null);
    }

    /**
     * A proxy written as a URI, the way {@code HTTPS_PROXY} and {@code --proxy} take it:
     * {@code http://[user:password@]host[:port]}, the port 80 if absent (as for any {@code http} URI),
     * user and password percent-decoded. A path of {@code /} alone is allowed; nothing else after the
     * authority is.
     *
     * @throws IllegalArgumentException if {@code uri} is not such a URI (the message does not repeat
     *     it, as it may hold a password)
     */
    public static HttpProxy parse(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(NOT_A_PROXY_URI, e);
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
        if (!scheme.equals("http") || parsed.getHost() == null || !(path.isEmpty() || path.equals("/"))
                || parsed.getRawQuery() != null || parsed.getRawFragment() != null) {
            throw new IllegalArgumentException(NOT_A_PROXY_URI);
        }
        HttpProxy proxy = of(parsed.getHost(), parsed.getPort() == -1 ? 80 : parsed.getPort());
        String userInfo = parsed.getUserInfo();
        if (userInfo == null) {
            return proxy;
        }
        int colon = userInfo.indexOf(':');
        return colon < 0 ? proxy.withCredentials(userInfo, "")
                : proxy.withCredentials(userInfo.substring(0, colon), userInfo.substring(colon + 1));
    }

    /**
     * This proxy with Basic credentials, sent with every {@code CONNECT}.
     *
     * @param user may not contain a colon (RFC 7617 §2)
     */
    public HttpProxy withCredentials(String user, String password) {
        Objects.requireNonNull(password, "password");
        if (user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a Basic user-id cannot contain a colon");
        }
        return new HttpProxy(host, port, user, password);
    }

    /** The host name or IP address (an IPv6 literal without brackets). */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The user of the credentials, if there are any. */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /**
     * The value of the {@code Proxy-Authorization} header: {@code Basic} and the base64 of
     * {@code user:password} in UTF-8 (RFC 7617 §2.1); empty without credentials.
     */
    public Optional<String> proxyAuthorization() {
        if (user == null) {
            return Optional.empty();
        }
        return Optional.of("Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code host:port}, an IPv6 literal in brackets: how error messages name the proxy. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpProxy p && host.equals(p.host) && port == p.port && Objects.equals(user, p.user)
                && Objects.equals(password, p.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, user, password);
    }

    /** {@code http://host:port}, with {@code user@} if there are credentials; never the password. */
    @Override
    public String toString() {
        return "http://" + (user == null ? "" : user + "@") + authority();
    }
}
