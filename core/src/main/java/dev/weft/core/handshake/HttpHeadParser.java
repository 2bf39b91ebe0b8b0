package dev.weft.core.handshake;

import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.HandshakeResponse;
import dev.weft.api.handshake.Headers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An incremental parser for the head of an HTTP/1.1 message (RFC 9112 §2–§5): the request line or
 * the status line, the header field lines, and the empty line that ends them. It is fed bytes as
 * they arrive, split anywhere, and stops right after the empty line, so whatever follows (the
 * peer's first WebSocket frames) stays in the caller's buffer.
 *
 * <p>The parser is strict where leniency has let requests be smuggled past other HTTP parsers, and
 * lenient only where RFC 9112 lets a recipient be: a bare LF ends a line like CRLF, empty lines
 * before a request line are skipped, and a response's folded field lines are unfolded. Bytes are
 * decoded as ISO-8859-1, so every octet maps to one character and field values keep {@code
 * obs-text} as it came.
 *
 * <p>Failures are {@link HandshakeException}s: for a request parser with the status to answer
 * with (400 for malformed input, 431 past a limit), for a response parser with status 0, because
 * the client has nobody to answer. After a failure the parser must not be used again.
 *
 * <p>Not thread-safe: one parser serves one connection, fed by one thread.
 */
public final class HttpHeadParser {

    private final boolean isRequest;
    private final int maxHeadBytes;
    private final int maxHeaders;

    private byte[] line = new byte[128];
    private int lineLength;
    private boolean pendingCr;
    private int headBytes;
    private boolean startLineDone;

    private String method;
    private String target;
    private String version;
    private int status;
    private String reason;
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();
    private Headers headers;

    private HttpHeadParser(boolean isRequest, int maxHeadBytes, int maxHeaders) {
        if (maxHeadBytes < 1 || maxHeaders < 0) {
            throw new IllegalArgumentException("maxHeadBytes must be positive and maxHeaders not negative: "
                    + maxHeadBytes + ", " + maxHeaders);
        }
        this.isRequest = isRequest;
        this.maxHeadBytes = maxHeadBytes;
        this.maxHeaders = maxHeaders;
    }

    /**
     * A parser for a request head, as a server reads it.
     *
     * @param maxHeadBytes the most bytes the head may take, line endings included
     * @param maxHeaders the most header field lines it may have
     */
    public static HttpHeadParser forRequest(int maxHeadBytes, int maxHeaders) {
        return new HttpHeadParser(true, maxHeadBytes, maxHeaders);
    }

    /**
     * A parser for a response head, as a client reads it.
     *
     * @param maxHeadBytes the most bytes the head may take, line endings included
     * @param maxHeaders the most header field lines it may have
     */
    public static HttpHeadParser forResponse(int maxHeadBytes, int maxHeaders) {
        return new HttpHeadParser(false, maxHeadBytes, maxHeaders);
    }

    /**
     * Consumes bytes from {@code in} (advancing its position) up to and including the empty line
     * that ends the head. Bytes after the head stay in {@code in}: they are WebSocket frames and
     * must not be lost. Input may arrive split at any byte, down to one byte per call.
     *
     * @return whether the head is complete; once it is, further calls consume nothing and return
     *     true
     * @throws HandshakeException if the head is malformed or exceeds a limit
     */
    public boolean parse(ByteBuffer in) throws HandshakeException {
        while (headers == null && in.hasRemaining()) {
            byte b = in.get();
            if (++headBytes > maxHeadBytes) {
                throw tooLarge("the head is larger than " + maxHeadBytes + " bytes");
            }
            if (pendingCr) {
                // "A recipient of such a bare CR MUST consider that element to be invalid or
                // replace each bare CR with SP before processing the element" (RFC 9112 §2.2)
                if (b != '\n') {
                    throw malformed("bare CR not followed by LF");
                }
                pendingCr = false;
                endLine();
            } else if (b == '\r') {
                pendingCr = true;
            } else if (b == '\n') {
                // "a recipient MAY recognize a single LF as a line terminator and ignore any
                // preceding CR" (RFC 9112 §2.2)
                endLine();
            } else {
                append(b);
            }
        }
        return headers != null;
    }

    /**
     * The request, once {@link #parse} has returned true.
     *
     * @throws IllegalStateException if this is a response parser or the head is not complete
     */
    public HandshakeRequest request() {
        if (!isRequest || headers == null) {
            throw new IllegalStateException(
                    isRequest ? "the request head is not complete" : "this parser reads responses");
        }
        return new HandshakeRequest(method, target, version, headers);
    }

    private static String common(String parsed, String constant) {
        return parsed.equals(constant) ? constant : parsed;
    }

    /**
     * The response, once {@link #parse} has returned true.
     *
     * @throws IllegalStateException if this is a request parser or the head is not complete
     */
    public HandshakeResponse response() {
        if (isRequest || headers == null) {
            throw new IllegalStateException(
                    isRequest ? "this parser reads requests" : "the response head is not complete");
        }
        return new HandshakeResponse(status, reason, headers);
    }

    private void append(byte b) {
        if (lineLength == line.length) {
            // headBytes bounds every line, so the buffer never grows past maxHeadBytes.
            line = Arrays.copyOf(line, Math.min(line.length * 2, maxHeadBytes));
        }
        line[lineLength++] = b;
    }

    private void endLine() {
        String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
        lineLength = 0;
        if (!startLineDone) {
            if (text.isEmpty() && isRequest) {
                // "a server that is expecting to receive and parse a request-line SHOULD ignore at
                // least one empty line (CRLF) received prior to the request-line" (RFC 9112 §2.2)
                return;
            }
            if (isRequest) {
                parseRequestLine(text);
            } else {
                parseStatusLine(text);
            }
            startLineDone = true;
        } else if (text.isEmpty()) {
            Headers.Builder b = Headers.builder();
            for (int i = 0; i < names.size(); i++) {
                b.add(names.get(i), values.get(i));
            }
            headers = b.build();
        } else if (Headers.isOws(text.charAt(0))) {
            parseContinuationLine(text);
        } else {
            parseFieldLine(text);
        }
    }

    // request-line = method SP request-target SP HTTP-version (RFC 9112 §3)
    private void parseRequestLine(String text) {
        int sp1 = text.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : text.indexOf(' ', sp1 + 1);
        if (sp2 < 0 || text.indexOf(' ', sp2 + 1) >= 0) {
            throw malformed("the request line is not 'method SP target SP version'");
        }
        // The usual spellings become shared constants: every open connection keeps its request.
        method = common(text.substring(0, sp1), "GET");
        target = text.substring(sp1 + 1, sp2);
        version = common(text.substring(sp2 + 1), "HTTP/1.1");
        if (!HttpHeads.isToken(method)) {
            throw malformed("the method is not a token");
        }
        if (!isRequestTarget(target)) {
            throw malformed("the request target is empty or holds characters a URI cannot");
        }
        if (!isHttpVersion(version)) {
            throw malformed("the request line does not end with an HTTP version");
        }
    }

    // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4). The SP after
    // the code is optional here: some servers omit it along with an empty reason, and a client
    // loses nothing by taking such a line.
    private void parseStatusLine(String text) {
        if (text.length() < 12 || !isHttpVersion(text.substring(0, 8)) || text.charAt(8) != ' '
                || !isDigit(text.charAt(9)) || !isDigit(text.charAt(10)) || !isDigit(text.charAt(11))
                || text.length() > 12 && text.charAt(12) != ' ') {
            throw malformed("the status line is not 'HTTP/x.y SP code SP reason'");
        }
        status = Integer.parseInt(text, 9, 12, 10);
        reason = text.length() > 13 ? text.substring(13) : "";
        // reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ) (RFC 9112 §4)
        if (hasControlChar(reason)) {
            throw malformed("control character in the reason phrase");
        }
    }

    // field-line = field-name ":" OWS field-value OWS (RFC 9112 §5)
    private void parseFieldLine(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw malformed("header line without a colon");
        }
        if (colon == 0) {
            throw malformed("header line with an empty name");
        }
        String name = text.substring(0, colon);
        // "No whitespace is allowed between the field name and colon. [...] A server MUST reject,
        // with a response status code of 400 (Bad Request), any received request message that
        // contains whitespace between a header field name and colon." (RFC 9112 §5.1)
        if (Headers.isOws(name.charAt(name.length() - 1))) {
            throw malformed("whitespace between a header name and its colon");
        }
        if (!HttpHeads.isToken(name)) {
            throw malformed("header name is not a token");
        }
        String value = Headers.trimOws(text.substring(colon + 1));
        checkValue(name, value);
        if (names.size() == maxHeaders) {
            throw tooLarge("more than " + maxHeaders + " header fields");
        }
        names.add(name);
        values.add(value);
    }

    // A line that starts with whitespace continues the previous field (obs-fold, RFC 9112 §5.2),
    // or, right after the start line, is whitespace the RFC lets a recipient reject (§2.2).
    private void parseContinuationLine(String text) {
        // "A server that receives an obs-fold in a request message [...] MUST either reject the
        // message by sending a 400 (Bad Request) [...] or replace each received obs-fold with one or
        // more SP octets" (RFC 9112 §5.2)
        if (isRequest) {
            throw malformed(names.isEmpty()
                    ? "whitespace between the request line and the first header field"
                    : "obsolete line folding in a header field");
        }
        if (names.isEmpty()) {
            throw malformed("whitespace between the status line and the first header field");
        }
        // "A user agent that receives an obs-fold in a response message [...] MUST replace each
        // received obs-fold with one or more SP octets prior to interpreting the field value."
        // (RFC 9112 §5.2)
        int last = names.size() - 1;
        String more = Headers.trimOws(text);
        checkValue(names.get(last), more);
        if (!more.isEmpty()) {
            String value = values.get(last);
            values.set(last, value.isEmpty() ? more : value + " " + more);
        }
    }

    private void checkValue(String name, String value) {
        // "a recipient of CR, LF, or NUL within a field value MUST either reject the message or
        // replace each of those characters with SP"; other control characters "are also
        // invalid" (RFC 9110 §5.5). Weft rejects them all.
        if (hasControlChar(value)) {
            throw malformed("control character in the value of header " + name);
        }
    }

    private static boolean hasControlChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                return true;
            }
        }
        return false;
    }

    // Any form of request-target (RFC 9112 §3.2) is visible ASCII; which forms a WebSocket
    // endpoint serves is for routing to decide.
    private static boolean isRequestTarget(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    // HTTP-version = HTTP-name "/" DIGIT "." DIGIT; HTTP-name = %s"HTTP" (RFC 9112 §2.3)
    private static boolean isHttpVersion(String s) {
        return s.length() == 8 && s.startsWith("HTTP/") && isDigit(s.charAt(5)) && s.charAt(6) == '.'
                && isDigit(s.charAt(7));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private HandshakeException malformed(String message) {
        return new HandshakeException(isRequest ? 400 : 0, message);
    }

    private HandshakeException tooLarge(String message) {
        return new HandshakeException(isRequest ? 431 : 0, message);
    }
}
