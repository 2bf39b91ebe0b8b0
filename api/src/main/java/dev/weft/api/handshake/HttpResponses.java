package dev.weft.api.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 messages as bytes (RFC 9112), for what a WebSocket server writes on its port: the
 * handshake's own responses, refusals, and plain HTTP answers such as a page from an
 * {@link HttpResponder}. Stateless.
 */
public final class HttpResponses {

    private static final byte[] NO_BODY = new byte[0];

    private HttpResponses() {
    }

    /**
     * A complete response: status line, {@code headers}, then {@code body}. The caller sets the
     * framing headers ({@code Content-Length}, {@code Connection}).
     */
    public static ByteBuffer of(int status, Headers headers, byte[] body) {
        return encode("HTTP/1.1 " + status + " " + reasonPhrase(status), headers, body);
    }

    /**
     * A complete plain-text response that closes the connection: the {@link #textHeaders} and
     * {@code message} as the body unless {@code headRequest} (a HEAD gets the same head, no body).
     */
    public static ByteBuffer text(int status, Headers extra, String message, boolean headRequest) {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        return of(status, textHeaders(body.length, extra), headRequest ? NO_BODY : body);
    }

    /**
     * The header fields of a plain-text response that closes the connection: {@code Content-Type:
     * text/plain; charset=utf-8}, {@code Content-Length}, {@code Connection: close}, then {@code extra}.
     */
    public static Headers textHeaders(int contentLength, Headers extra) {
        return Headers.builder()
                .add("Content-Type", "text/plain; charset=utf-8")
                .add("Content-Length", Integer.toString(contentLength))
                .add("Connection", "close")
                .addAll(extra)
                .build();
    }

    /**
     * The reason phrase of the statuses a WebSocket server answers with; empty for others, as
     * RFC 9112 §4 allows.
     */
    public static String reasonPhrase(int status) {
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

    /**
     * Any HTTP/1.1 message (a response, or the client's upgrade request): {@code startLine}, the
     * field lines, the empty line, then {@code body}. Names and values are Latin-1 by construction
     * ({@link Headers} refuses anything else), so ISO-8859-1 writes each character as the one octet
     * it stands for.
     */
    public static ByteBuffer encode(String startLine, Headers headers, byte[] body) {
        StringBuilder head = new StringBuilder(256).append(startLine).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(headBytes.length + body.length).put(headBytes).put(body).flip();
    }
}
