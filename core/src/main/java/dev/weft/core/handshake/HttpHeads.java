package dev.weft.core.handshake;

import dev.weft.api.handshake.Headers;
import dev.weft.api.handshake.HttpResponses;

import java.util.ArrayList;
import java.util.List;

/**
 * What both ends of the opening handshake share: bits of HTTP/1.1 syntax (RFC 9110, RFC 9112) —
 * tokens and comma-separated list fields — and which header fields belong to the WebSocket upgrade
 * itself. Writing a head as bytes, with its reason phrase, is {@link HttpResponses}'s. Stateless.
 */
final class HttpHeads {

    /** The only version RFC 6455 defines, and the only "Standard" one in its IANA registry (§11.6). */
    static final String WEBSOCKET_VERSION = "13";

    private HttpHeads() {
    }

    /**
     * Whether {@code name} is a field the handshake writes itself on both sides: {@code Upgrade},
     * {@code Connection} and every {@code Sec-WebSocket-*}. Application headers that named one would
     * contradict or duplicate the handshake's own.
     */
    static boolean isUpgradeHeader(String name) {
        return name.equalsIgnoreCase("Upgrade") || name.equalsIgnoreCase("Connection")
                || name.regionMatches(true, 0, "Sec-WebSocket-", 0, "Sec-WebSocket-".length());
    }

    /** Whether {@code s} is a non-empty {@code token} (RFC 9110 §5.6.2). */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Headers.isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The elements of a comma-separated list field, from every line of that field in order, with
     * the whitespace around each removed. Empty elements are dropped: "A recipient MUST parse and
     * ignore a reasonable number of empty list elements" (RFC 9110 §5.6.1.2).
     */
    static List<String> listElements(List<String> fieldValues) {
        List<String> out = new ArrayList<>();
        for (String value : fieldValues) {
            for (String element : value.split(",")) {
                String trimmed = Headers.trimOws(element);
                if (!trimmed.isEmpty()) {
                    out.add(trimmed);
                }
            }
        }
        return out;
    }

    /** Whether one of the list elements is {@code token}, compared ASCII case-insensitively. */
    static boolean containsIgnoreCase(List<String> elements, String token) {
        for (String e : elements) {
            if (e.equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }
}
