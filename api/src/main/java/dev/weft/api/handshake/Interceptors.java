package dev.weft.api.handshake;

import dev.weft.api.handshake.HandshakeInterceptor;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.UpgradeDecision;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Ready-made {@link HandshakeInterceptor}s: an {@code Origin} allow-list (RFC 6455 §10.2, RFC 6454)
 * and authentication by HTTP Basic (RFC 7617) or bearer token (RFC 6750).
 *
 * <p>Every interceptor returned is immutable and thread-safe, as a server's handshake requires.
 * The functions given to the factories are called on the event-loop thread for every request, so
 * they must be thread-safe too and must not block; if one throws, the handshake answers 500.
 */
public final class Interceptors {

    /**
     * The {@link UpgradeDecision#attributes()} key under which {@link #basicAuth} and
     * {@link #bearerToken} put the authenticated user name, a {@code String}.
     */
    public static final String USER = "weft.user";

    // A serialized origin leaves out its scheme's default port (RFC 6454 §6.2); an allow-list entry
    // that spells it out must still match.
    private static final Map<String, Integer> DEFAULT_PORTS = Map.of("http", 80, "https", 443, "ws", 80, "wss", 443);

    private static final String ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String DIGIT = "0123456789";
    private static final String HEX = DIGIT + "ABCDEFabcdef";

    private Interceptors() {
    }

    /** Same as {@link #allowOrigins(Collection)}. */
    public static HandshakeInterceptor allowOrigins(String... origins) {
        return allowOrigins(List.of(origins));
    }

    /**
     * Refuses with 403, and a body naming the origin, every request whose {@code Origin} is not one
     * of {@code origins}. Scheme and host compare ASCII case-insensitively, the port exactly (a
     * default port may be written or left out). The opaque origin {@code null}, which browsers send
     * from sandboxed frames and {@code file:} pages, matches only if {@code "null"} is listed.
     *
     * <p>A request without {@code Origin} is let through: the header protects a browser's user
     * from scripts of other sites, and only browsers are bound to send it. Any other client can
     * send whatever {@code Origin} it likes, so refusing it would stop nobody; authenticate instead.
     * An empty list therefore admits exactly the clients that send no {@code Origin}: no browser.
     *
     * @param origins serialized origins such as {@code https://example.com} or
     *     {@code http://127.0.0.1:8080} (no path, not even {@code /}), or {@code "null"}
     * @throws IllegalArgumentException if an entry is not a serialized origin in ASCII (write an
     *     internationalized host in its {@code xn--} form, as browsers send it)
     */
    public static HandshakeInterceptor allowOrigins(Collection<String> origins) {
        Set<String> keys = new HashSet<>();
        for (String origin : origins) {
            String key = "null".equals(origin) ? origin : originKey(origin);
            if (key == null) {
                throw new IllegalArgumentException("not a serialized origin such as https://example.com: " + origin);
            }
            keys.add(key);
        }
        Set<String> allowed = Set.copyOf(keys);
        return (request, decision) -> {
            // "The intent is not to prevent non-browsers from establishing connections but rather to
            // ensure that trusted browsers under the control of potentially malicious JavaScript
            // cannot fake a WebSocket handshake." (RFC 6455 §10.2)
            String origin = request.origin().orElse(null);
            if (origin == null) {
                return;
            }
            String key = "null".equals(origin) ? origin : originKey(origin);
            // "If the origin indicated is unacceptable to the server, then it SHOULD respond to the
            // WebSocket handshake with a reply containing HTTP 403 Forbidden status code." (RFC 6455 §10.2)
            if (key == null || !allowed.contains(key)) {
                decision.reject(403, "origin " + origin + " is not allowed");
            }
        };
    }

    /**
     * Requires {@code Authorization: Basic} credentials (RFC 7617) that {@code credentials}
     * accepts, and puts the user name under {@link #USER}. Missing, malformed or refused
     * credentials get 401 with {@code WWW-Authenticate: Basic realm="<realm>", charset="UTF-8"}.
     * Send Basic credentials over TLS only: they are the password itself.
     *
     * @param realm the protection space, shown by browsers
     * @param credentials tests a user name and password, decoded as UTF-8; compare secrets with
     *     {@link java.security.MessageDigest#isEqual} so that timing does not reveal them
     * @throws IllegalArgumentException if {@code realm} holds {@code "}, {@code \}, a control
     *     character or non-ASCII
     */
    public static HandshakeInterceptor basicAuth(String realm, BiPredicate<String, String> credentials) {
        Objects.requireNonNull(credentials, "credentials");
        // "The only allowed value is "UTF-8"" (RFC 7617 §2.1): it tells clients how we decode.
        String challenge = "Basic realm=" + quote(realm) + ", charset=\"UTF-8\"";
        return (request, decision) -> {
            String encoded = credentials(request, "Basic");
            String userPass = encoded == null ? null : userPass(encoded);
            // "the first colon in a user-pass string separates user-id and password from one
            // another; text after the first colon is part of the password." (RFC 7617 §2)
            int colon = userPass == null ? -1 : userPass.indexOf(':');
            if (colon < 0) {
                refuse(decision, 401, challenge, encoded == null ? "Basic credentials are required"
                        : "the Basic credentials are malformed");
            } else if (!credentials.test(userPass.substring(0, colon), userPass.substring(colon + 1))) {
                refuse(decision, 401, challenge, "wrong user name or password");
            } else {
                decision.attributes().put(USER, userPass.substring(0, colon));
            }
        };
    }

    /** Same as {@link #bearerToken(String, Function, boolean)} without the query parameter. */
    public static HandshakeInterceptor bearerToken(String realm, Function<String, Optional<String>> tokenToUser) {
        return bearerToken(realm, tokenToUser, false);
    }

    /**
     * Requires a bearer token (RFC 6750) that {@code tokenToUser} maps to a user, and puts the user
     * name under {@link #USER}. Without a token the answer is 401 with
     * {@code WWW-Authenticate: Bearer realm="<realm>"}; with a malformed or refused one, 401 with
     * {@code error="invalid_token"} added; with two tokens, 400 with {@code error="invalid_request"}.
     *
     * @param realm the protection space
     * @param tokenToUser the user a token stands for, or empty if the token is refused
     * @param allowQueryParameter whether to take the token from an {@code access_token} query
     *     parameter too (percent-decoded, RFC 6750 §2.3), for browsers, whose WebSocket API cannot set
     *     {@code Authorization}; the URI ends up in logs and history, so prefer short-lived tokens
     * @throws IllegalArgumentException if {@code realm} holds {@code "}, {@code \}, a control
     *     character or non-ASCII
     */
    public static HandshakeInterceptor bearerToken(String realm, Function<String, Optional<String>> tokenToUser,
                                                   boolean allowQueryParameter) {
        Objects.requireNonNull(tokenToUser, "tokenToUser");
        String missing = "Bearer realm=" + quote(realm);
        String invalidToken = missing + ", error=\"invalid_token\"";
        String invalidRequest = missing + ", error=\"invalid_request\"";
        return (request, decision) -> {
            List<String> tokens = allowQueryParameter ? queryTokens(request) : new ArrayList<>();
            String header = credentials(request, "Bearer");
            if (header != null) {
                tokens.add(header);
            }
            if (tokens.isEmpty()) {
                // "If the request lacks any authentication information ..., the resource server
                // SHOULD NOT include an error code or other error information." (RFC 6750 §3)
                refuse(decision, 401, missing, "a bearer token is required");
            } else if (tokens.size() > 1) {
                // invalid_request: the request "repeats the same parameter, uses more than one method
                // for including an access token, ... The resource server SHOULD respond with the
                // HTTP 400 (Bad Request) status code." (RFC 6750 §3.1)
                refuse(decision, 400, invalidRequest, "send one bearer token, in Authorization or in access_token");
            } else if (!isB64Token(tokens.get(0))) {
                // invalid_token: "The access token provided is expired, revoked, malformed, or
                // invalid for other reasons." (RFC 6750 §3.1)
                refuse(decision, 401, invalidToken, "the bearer token is malformed");
            } else {
                Optional<String> user = tokenToUser.apply(tokens.get(0));
                if (user.isPresent()) {
                    decision.attributes().put(USER, user.get());
                } else {
                    refuse(decision, 401, invalidToken, "the bearer token was refused");
                }
            }
        };
    }

    private static void refuse(UpgradeDecision decision, int status, String challenge, String reason) {
        decision.header("WWW-Authenticate", challenge).reject(status, reason);
    }

    // Refusing what would need a quoted-pair is simpler than escaping it, and some clients show a
    // realm without unescaping; non-ASCII has no reliable encoding in a header (RFC 9110 §5.5).
    private static String quote(String realm) {
        for (int i = 0; i < realm.length(); i++) {
            char c = realm.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                throw new IllegalArgumentException("a realm must be printable ASCII without '\"' or '\\': " + realm);
            }
        }
        return '"' + realm + '"';
    }

    // What follows auth-scheme in "credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]"
    // (RFC 9110 §11.4), or null if Authorization is absent or names another scheme.
    private static String credentials(HandshakeRequest request, String scheme) {
        String value = Headers.trimOws(request.header("Authorization").orElse(""));
        int space = value.indexOf(' ');
        // "Note that both scheme and parameter names are matched case-insensitively." (RFC 7617 §2)
        // equalsIgnoreCase folds only ASCII onto ASCII here, as Headers holds Latin-1 alone.
        if (!(space < 0 ? value : value.substring(0, space)).equalsIgnoreCase(scheme)) {
            return null;
        }
        return space < 0 ? "" : Headers.trimOws(value.substring(space + 1));
    }

    // user-pass decoded as charset="UTF-8" promises, or null if it is not base64, not UTF-8, or holds
    // a control character: "The user-id and password MUST NOT contain any control characters" (RFC 7617 §2)
    private static String userPass(String base64) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            // A CharsetDecoder reports bad bytes, where new String(bytes, UTF_8) would replace them.
            String s = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            return s.chars().anyMatch(c -> c < 0x20 || c == 0x7F) ? null : s;
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
    }

    // "b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="" (RFC 6750 §2.1)
    private static boolean isB64Token(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '=') {
            end--;
        }
        return end > 0 && allMatch(s.substring(0, end), ALPHA + DIGIT + "-._~+/");
    }

    // Every access_token in the query, percent-decoded. RFC 6750 §2.3 puts it in the query "as
    // defined by" RFC 3986, where '+' stands for itself rather than a form's space; b64token may
    // hold '+' but never a space, so this reading is the one that can succeed.
    private static List<String> queryTokens(HandshakeRequest request) {
        List<String> tokens = new ArrayList<>();
        for (String param : request.query().orElse("").split("&")) {
            int eq = param.indexOf('=');
            if (percentDecode(eq < 0 ? param : param.substring(0, eq)).equals("access_token")) {
                tokens.add(eq < 0 ? "" : percentDecode(param.substring(eq + 1)));
            }
        }
        return tokens;
    }

    private static String percentDecode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return ""; // a broken escape: neither the parameter's name nor a b64token
        }
    }

    // "scheme://host[:port]" with scheme and host lower-cased and a default port dropped, or null if
    // s is not a serialized-origin (RFC 6454 §7.1). Checked before lower-casing, because
    // toLowerCase maps some non-ASCII letters (the Kelvin sign) onto ASCII ones.
    private static String originKey(String s) {
        int sep = s.indexOf("://");
        if (sep <= 0 || ALPHA.indexOf(s.charAt(0)) < 0 || !allMatch(s.substring(0, sep), ALPHA + DIGIT + "+-.")) {
            return null;
        }
        String authority = s.substring(sep + 3);
        int colon = authority.lastIndexOf(':');
        if (colon < authority.lastIndexOf(']')) {
            colon = -1; // a colon inside an IPv6 literal
        }
        String host = colon < 0 ? authority : authority.substring(0, colon);
        String port = colon < 0 ? null : authority.substring(colon + 1);
        boolean validHost = host.startsWith("[")
                ? host.length() > 2 && host.endsWith("]") && allMatch(host.substring(1, host.length() - 1), HEX + ":.")
                : !host.isEmpty() && allMatch(host, ALPHA + DIGIT + "-._~%!$&'()*+,;=");
        if (!validHost || port != null && (port.isEmpty() || port.length() > 5 || !allMatch(port, DIGIT)
                || Integer.parseInt(port) > 65535)) {
            return null;
        }
        String scheme = s.substring(0, sep).toLowerCase(Locale.ROOT);
        int defaultPort = DEFAULT_PORTS.getOrDefault(scheme, -1);
        int p = port == null ? defaultPort : Integer.parseInt(port);
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + (p == defaultPort ? "" : ":" + p);
    }

    private static boolean allMatch(String s, String allowed) {
        return s.chars().allMatch(c -> allowed.indexOf(c) >= 0);
    }
}
