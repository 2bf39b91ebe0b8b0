package dev.weft.core.extension;

import dev.weft.api.extension.ExtensionParameters.Parameter;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.Headers;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code Sec-WebSocket-Extensions} header grammar (RFC 6455 §9.1):
 *
 * <pre>
 * extension-list  = 1#extension
 * extension       = extension-token *( ";" extension-param )
 * extension-param = token [ "=" (token | quoted-string) ]
 *     ;When using the quoted-string syntax variant, the value
 *     ;after quoted-string unescaping MUST conform to the
 *     ;'token' ABNF.
 * </pre>
 *
 * <p>Whitespace (SP, HTAB) is allowed around every separator, as the "implied *LWS rule" of RFC 2616
 * that §9.1 uses allows. Empty list elements ({@code a, , b}) are skipped, as RFC 9110 §5.6.1.2
 * requires of a recipient; everything else that does not match the grammar is refused, because "If a
 * value is received by either the client or the server during negotiation that does not conform to
 * the ABNF below, the recipient of such malformed data MUST immediately _Fail the WebSocket
 * Connection_." (RFC 6455 §9.1)
 *
 * <p>Stateless and thread-safe from the outside; each parse uses its own cursor.
 */
public final class ExtensionHeader {

    private final String value;
    private int pos;

    private ExtensionHeader(String value) {
        this.value = value;
    }

    /**
     * Parses every line of a {@code Sec-WebSocket-Extensions} field, in order; "the following are
     * equivalent: Sec-WebSocket-Extensions: foo / Sec-WebSocket-Extensions: bar; baz=2 [and]
     * Sec-WebSocket-Extensions: foo, bar; baz=2" (RFC 6455 §9.1).
     *
     * @param headerValues the values of each field line, in order
     * @return the elements, in order; parameter values unquoted
     * @throws IllegalArgumentException if a value does not match the grammar; the message says where
     */
    public static List<ExtensionParameters> parse(List<String> headerValues) {
        List<ExtensionParameters> out = new ArrayList<>();
        for (String v : headerValues) {
            new ExtensionHeader(v).parseList(out);
        }
        return List.copyOf(out);
    }

    /**
     * The header value for these elements: each one's {@link ExtensionParameters#toString()},
     * separated by {@code ", "}.
     */
    public static String format(List<ExtensionParameters> elements) {
        return elements.stream().map(ExtensionParameters::toString).collect(Collectors.joining(", "));
    }

    private void parseList(List<ExtensionParameters> out) {
        while (true) {
            skipOws();
            if (atEnd()) {
                return;
            }
            if (peek() != ',') {
                out.add(parseElement());
                skipOws();
                if (atEnd()) {
                    return;
                }
                if (peek() != ',') {
                    throw malformed("expected ',' or ';'");
                }
            }
            pos++;
        }
    }

    private ExtensionParameters parseElement() {
        String name = token("an extension name");
        List<Parameter> parameters = new ArrayList<>();
        skipOws();
        while (!atEnd() && peek() == ';') {
            pos++;
            skipOws();
            String parameter = token("a parameter name after ';'");
            skipOws();
            String parameterValue = null;
            if (!atEnd() && peek() == '=') {
                pos++;
                skipOws();
                parameterValue = !atEnd() && peek() == '"' ? quotedToken() : token("a value after '='");
                skipOws();
            }
            parameters.add(new Parameter(parameter, parameterValue));
        }
        return ExtensionParameters.of(name, parameters);
    }

    private String token(String what) {
        int start = pos;
        while (!atEnd() && Headers.isTokenChar(peek())) {
            pos++;
        }
        if (pos == start) {
            throw malformed("expected " + what);
        }
        return value.substring(start, pos);
    }

    // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE;
    // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ) (RFC 9110 §5.6.4)
    // "the value after quoted-string unescaping MUST conform to the 'token' ABNF" (RFC 6455 §9.1).
    // Every token character is valid qdtext and valid after a backslash, so checking each unescaped
    // character against the token rule checks the quoted-string grammar too.
    private String quotedToken() {
        int start = pos;
        pos++;
        StringBuilder unquoted = new StringBuilder();
        while (!atEnd()) {
            char c = value.charAt(pos);
            if (c == '"') {
                if (unquoted.length() == 0) {
                    throw malformed("an empty quoted value is not a token");
                }
                pos++;
                return unquoted.toString();
            }
            if (c == '\\') {
                pos++;
                if (atEnd()) {
                    break;
                }
                c = value.charAt(pos);
            }
            if (!Headers.isTokenChar(c)) {
                throw malformed("a quoted value must be a token once unquoted");
            }
            unquoted.append(c);
            pos++;
        }
        pos = start;
        throw malformed("unterminated quoted string");
    }

    private void skipOws() {
        while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos == value.length();
    }

    private char peek() {
        return value.charAt(pos);
    }

    private IllegalArgumentException malformed(String problem) {
        return new IllegalArgumentException("malformed Sec-WebSocket-Extensions value \"" + value + "\" at index "
                + pos + ": " + problem);
    }
}
