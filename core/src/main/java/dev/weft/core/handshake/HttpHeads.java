package dev.weft.core.handshake;

import dev.weft.api.handshake.Headers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What both ends of the opening handshake share: bits of HTTP/1.1 syntax (RFC 9110, RFC 9112) —
 * tokens, comma-separated list fields, reason phrases, writing a head as bytes — and which header
 * fields belong to the WebSocket upgrade itself. Stateless.
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

    /** The reason phrase of the statuses a handshake answers with; empty for others, as RFC 9112 §4 allows. */
    static String reasonPhrase(int status) {
        return switch (status) {
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "";
        };
    }

    /** {@code HTTP/1.1 <status> <reason>} for a status written by this server. */
    static String statusLine(int status) {
        return "HTTP/1.1 " + status + " " + reasonPhrase(status);
    }

    /**
     * A head (start line, field lines, empty line) followed by {@code body}, as bytes. Names and
     * values are Latin-1 by construction ({@link Headers} refuses anything else), so ISO-8859-1
     * writes each character as the one octet it stands for.
     */
    static ByteBuffer encode(String startLine, Headers headers, byte[] body) {
        StringBuilder head = new StringBuilder(256).append(startLine).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(headBytes.length + body.length).put(headBytes).put(body).flip();
    }
}
