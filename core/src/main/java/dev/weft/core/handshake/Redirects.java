package dev.weft.core.handshake;

import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.Headers;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The redirects a client follows when its upgrade request is answered with one, if the application
 * asked for them: 301, 302, 307 and 308 (RFC 9110 §15.4) with a {@code Location} naming a
 * {@code ws}, {@code wss}, {@code http} or {@code https} URI, a relative one resolved against the
 * URI asked for (RFC 9110 §10.2.2), up to a limit, and never from {@code wss} to {@code ws}. Every
 * transport's client runs this one set of rules around its connect.
 *
 * <p>Not thread-safe: one instance counts the redirects of one connect.
 */
public final class Redirects {

    private static final Set<Integer> FOLLOWED = Set.of(301, 302, 307, 308);

    private final int max;
    private int followed;

    /** @param max how many redirects one connect follows; 0 follows none */
    public Redirects(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("the redirect limit must not be negative: " + max);
        }
        this.max = max;
    }

    /**
     * Where to go after the server refused the upgrade request for {@code from} with {@code refusal}.
     *
     * @return the URI to connect to instead, or {@code null} if {@code refusal} is no redirect to
     *     follow (another status, or redirects are off): the caller reports it as it is
     * @throws HandshakeException with the redirect's status, if it cannot be followed: one too many,
     *     no {@code Location}, a {@code Location} that is no URI or names another scheme, or one
     *     that goes from {@code wss} to {@code ws}
     */
    public URI next(URI from, HandshakeException refusal) {
        if (max == 0 || !FOLLOWED.contains(refusal.status())) {
            return null;
        }
        String location = refusal.headers().first("Location").map(Headers::trimOws).orElse("");
        if (location.isEmpty()) {
            throw notFollowed(refusal, "it has no Location");
        }
        if (followed == max) {
            throw notFollowed(refusal, "it would be redirect " + (max + 1) + ", over the limit of " + max);
        }
        URI to;
        try {
            to = withoutFragment(from.resolve(URI.create(location)));
        } catch (IllegalArgumentException e) {
            throw notFollowed(refusal, "its Location is not a URI: " + location);
        }
        String scheme = scheme(to);
        if (!Set.of("ws", "wss", "http", "https").contains(scheme) || to.getHost() == null) {
            throw notFollowed(refusal, "its Location is not a ws, wss, http or https URI with a host: " + location);
        }
        if (isSecure(from) && !isSecure(to)) {
            throw notFollowed(refusal, "it goes from " + from + " to " + to + ", which would drop TLS");
        }
        followed++;
        return to;
    }

    /**
     * The extra headers to send to {@code to}, redirected from {@code from}: all of them on the same
     * host and port; without {@code Authorization} and {@code Cookie} elsewhere, as credentials meant
     * for one server must not reach another.
     */
    public static Headers headersFor(URI from, URI to, Headers headers) {
        boolean sameServer = Objects.equals(lower(from.getHost()), lower(to.getHost())) && port(from) == port(to);
        return sameServer ? headers : headers.toBuilder().remove("Authorization").remove("Cookie").build();
    }

    private static HandshakeException notFollowed(HandshakeException refusal, String why) {
        return new HandshakeException(refusal.status(), refusal.getMessage() + ", a redirect not followed: " + why,
                refusal.headers());
    }

    private static URI withoutFragment(URI uri) {
        String s = uri.toString();
        int hash = s.indexOf('#');
        return hash < 0 ? uri : URI.create(s.substring(0, hash));
    }

    private static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }

    private static boolean isSecure(URI uri) {
        String scheme = scheme(uri);
        return scheme.equals("wss") || scheme.equals("https");
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : isSecure(uri) ? 443 : 80;
    }

    private static String lower(String host) {
        return host == null ? null : host.toLowerCase(Locale.ROOT);
    }
}
