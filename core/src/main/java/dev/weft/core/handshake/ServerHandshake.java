package dev.weft.core.handshake;

import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeInterceptor;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.HandshakeResponse;
import dev.weft.api.handshake.Headers;
import dev.weft.api.handshake.HttpResponses;
import dev.weft.api.handshake.UpgradeDecision;
import dev.weft.core.extension.ExtensionHeader;
import dev.weft.core.extension.ExtensionNegotiator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The server's side of the opening handshake (RFC 6455 §4.2): checks an upgrade request, lets the
 * {@link HandshakeInterceptor}s shape or refuse the answer, negotiates subprotocol and extensions,
 * and writes the response.
 *
 * <p>A request that breaks RFC 6455 §4.2.1 is refused, as "the server MUST stop processing the
 * client's handshake and return an HTTP response with an appropriate error code (such as 400 Bad
 * Request)" (RFC 6455 §4.2.1): 400 for most faults, 405 with {@code Allow: GET} for another method
 * (the endpoint exists but serves only GET, which is what 405 says), and 426 with
 * {@code Sec-WebSocket-Version: 13} for another protocol version. Every refusal closes the
 * connection and carries a plain-text body naming the problem.
 *
 * <p>Thread-safe and immutable: one instance serves every connection of an endpoint, so the
 * interceptors it is given must be thread-safe too.
 */
public final class ServerHandshake {

    private static final System.Logger LOG = System.getLogger(ServerHandshake.class.getName());

    /** Beyond the upgrade's own fields, those that frame a refusal's body, which the handshake writes. */
    private static final List<String> BODY_HEADERS = List.of("Content-Type", "Content-Length", "Transfer-Encoding");

    private static final byte[] NO_BODY = new byte[0];

    private final WebSocketConfig config;
    private final List<HandshakeInterceptor> interceptors;
    private final ExtensionContext extensionContext;

    /**
     * @param config the endpoint's configuration: subprotocols, extensions and limits
     * @param interceptors run in this order on each valid request
     */
    public ServerHandshake(WebSocketConfig config, List<HandshakeInterceptor> interceptors) {
        this.config = Objects.requireNonNull(config, "config");
        this.interceptors = List.copyOf(interceptors);
        this.extensionContext = new ExtensionContext(Role.SERVER, config.maxFrameSize(), config.maxMessageSize());
    }

    /** What {@link #answer} decided; either way, {@code responseBytes} are to be written to the client. */
    public sealed interface Result permits Accepted, Rejected {

        /** The complete response head, ready to write. */
        ByteBuffer responseBytes();
    }

    /**
     * The upgrade is accepted: write {@code responseBytes}, then speak WebSocket with what
     * {@code agreement} says. The agreement's extensions belong to the caller, who closes them.
     */
    public record Accepted(Agreement agreement, ByteBuffer responseBytes) implements Result {
    }

    /**
     * The upgrade is refused: write {@code responseBytes} and close the connection.
     *
     * @param response the response as sent
     * @param responseBytes the response, head and body
     * @param problem what was wrong, for logs
     */
    public record Rejected(HandshakeResponse response, ByteBuffer responseBytes, String problem) implements Result {
    }

    /**
     * Validates an upgrade request and answers it. Never throws for bad input, nor for a failing
     * interceptor or extension factory: a bad request becomes a {@link Rejected} with a 4xx
     * status, a failure on the server's side a {@link Rejected} with 500.
     */
    public Result answer(HandshakeRequest request) {
        Rejected invalid = checkRequest(request);
        if (invalid != null) {
            return invalid;
        }
        List<ExtensionParameters> offers;
        try {
            offers = ExtensionHeader.parse(request.headers().all("Sec-WebSocket-Extensions"));
        } catch (IllegalArgumentException e) {
            // "If a value is received by either the client or the server during negotiation that
            // does not conform to the ABNF below, the recipient of such malformed data MUST
            // immediately _Fail the WebSocket Connection_." (RFC 6455 §9.1)
            return refusal(400, e.getMessage());
        }

        List<String> offered = request.subprotocols();
        UpgradeDecision decision = new UpgradeDecision(offered, chooseSubprotocol(offered));
        for (HandshakeInterceptor interceptor : interceptors) {
            try {
                interceptor.intercept(request, decision);
            } catch (RuntimeException e) {
                return internalError("handshake interceptor " + interceptor + " failed", e);
            }
            if (decision.isRejected()) {
                break;
            }
        }
        String reserved = reservedHeader(decision.headers());
        if (reserved != null) {
            return internalError("a handshake interceptor added header " + reserved
                    + ", which the handshake writes itself", null);
        }
        if (decision.isRejected()) {
            String reason = decision.rejectReason();
            return rejection(decision.rejectStatus(), decision.headers(),
                    reason.isEmpty() ? HttpResponses.reasonPhrase(decision.rejectStatus()) : reason,
                    "refused by a handshake interceptor: " + decision.rejectStatus() + " " + reason);
        }

        List<Extension> extensions = List.of();
        try {
            extensions = ExtensionNegotiator.accept(offers, config.extensions(), extensionContext);
            return accepted(request, decision, extensions);
        } catch (RuntimeException e) {
            // Extensions and interceptor attributes are other people's code and data; if they
            // cannot make a response, the extensions already made must not leak.
            ExtensionNegotiator.closeAll(extensions);
            return internalError("the handshake response could not be built", e);
        }
    }

    /**
     * A complete response for a request that failed before or while its head was parsed (such as
     * a {@link dev.weft.api.handshake.HandshakeException} from {@link HttpHeadParser}): status
     * line, {@code Content-Type: text/plain; charset=utf-8}, {@code Content-Length},
     * {@code Connection: close}, and the message as the body.
     *
     * @param status a 4xx or 5xx status
     * @param message the body
     * @throws IllegalArgumentException if {@code status} is not a 4xx or 5xx status
     */
    public static ByteBuffer errorResponse(int status, String message) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error response needs a 4xx or 5xx status: " + status);
        }
        return refusal(status, message).responseBytes();
    }

    // Checks RFC 6455 §4.2.1 in its order, except that the version comes before the key: a client
    // of another version may format its key differently, and 426 tells it what to speak instead.
    private static Rejected checkRequest(HandshakeRequest request) {
        // "An HTTP/1.1 or higher GET request" (RFC 6455 §4.2.1)
        if (!request.method().equals("GET")) {
            // "The origin server MUST generate an Allow header field in a 405 response" (RFC 9110 §15.5.6)
            String problem = "a WebSocket upgrade must use GET, not " + request.method();
            return rejection(405, Headers.of("Allow", "GET"), problem, problem);
        }
        if (!isHttp11OrHigher1x(request.version())) {
            return refusal(400, "a WebSocket upgrade needs HTTP/1.1, not " + request.version());
        }
        // "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request
        // message that lacks a Host header field and to any that contains more than one Host
        // header field line" (RFC 9112 §3.2)
        int hosts = request.headers().all("Host").size();
        if (hosts != 1) {
            return refusal(400, hosts == 0 ? "the Host header is missing"
                    : "the Host header appears " + hosts + " times");
        }
        // "An |Upgrade| header field containing the value "websocket", treated as an ASCII
        // case-insensitive value." (RFC 6455 §4.2.1)
        if (!HttpHeads.containsIgnoreCase(HttpHeads.listElements(request.headers().all("Upgrade")), "websocket")) {
            return refusal(400, "the Upgrade header does not name websocket");
        }
        // "A |Connection| header field that includes the token "Upgrade", treated as an ASCII
        // case-insensitive value." (RFC 6455 §4.2.1)
        if (!HttpHeads.containsIgnoreCase(HttpHeads.listElements(request.headers().all("Connection")), "Upgrade")) {
            return refusal(400, "the Connection header does not include Upgrade");
        }
        List<String> versions = request.headers().all("Sec-WebSocket-Version");
        // "the |Sec-WebSocket-Version| header field MUST NOT appear more than once in an HTTP
        // request" (RFC 6455 §11.3.5)
        if (versions.size() > 1) {
            return refusal(400, "the Sec-WebSocket-Version header appears " + versions.size() + " times");
        }
        // "If this version does not match a version understood by the server, the server MUST abort
        // the WebSocket handshake described in this section and instead send an appropriate HTTP
        // error code (such as 426 Upgrade Required) and a |Sec-WebSocket-Version| header field
        // indicating the version(s) the server is capable of understanding." (RFC 6455 §4.2.2)
        if (versions.isEmpty() || !versions.get(0).equals(HttpHeads.WEBSOCKET_VERSION)) {
            String problem = (versions.isEmpty() ? "the Sec-WebSocket-Version header is missing"
                    : "WebSocket version " + versions.get(0) + " is not supported")
                    + "; this server speaks version " + HttpHeads.WEBSOCKET_VERSION;
            return rejection(426, Headers.of("Sec-WebSocket-Version", HttpHeads.WEBSOCKET_VERSION), problem, problem);
        }
        List<String> keys = request.headers().all("Sec-WebSocket-Key");
        // "The |Sec-WebSocket-Key| header field MUST NOT appear more than once in an HTTP request."
        // (RFC 6455 §11.3.1)
        if (keys.size() != 1) {
            return refusal(400, keys.isEmpty() ? "the Sec-WebSocket-Key header is missing"
                    : "the Sec-WebSocket-Key header appears " + keys.size() + " times");
        }
        // "A |Sec-WebSocket-Key| header field with a base64-encoded (see Section 4 of [RFC4648])
        // value that, when decoded, is 16 bytes in length." (RFC 6455 §4.2.1)
        if (!AcceptKey.isValidKey(keys.get(0))) {
            return refusal(400, "the Sec-WebSocket-Key is not 16 bytes in base64");
        }
        // "The elements that comprise this value MUST be non-empty strings with characters in the
        // range U+0021 to U+007E not including separator characters" (RFC 6455 §4.1)
        for (String subprotocol : request.subprotocols()) {
            if (!HttpHeads.isToken(subprotocol)) {
                return refusal(400, "the Sec-WebSocket-Protocol header holds an element that is not a token");
            }
        }
        return null;
    }

    // HTTP-version = HTTP-name "/" DIGIT "." DIGIT (RFC 9112 §2.3): 1.1 to 1.9. HTTP/2 and later
    // have no Upgrade mechanism and never carry a text request line.
    private static boolean isHttp11OrHigher1x(String version) {
        return version.length() == 8 && version.startsWith("HTTP/1.") && version.charAt(7) >= '1'
                && version.charAt(7) <= '9';
    }

    // "selecting one of the values from the |Sec-WebSocket-Protocol| field that the server is
    // willing to use for this connection (if any)" (RFC 6455 §4.2.2): the client's most preferred.
    private String chooseSubprotocol(List<String> offered) {
        for (String p : offered) {
            if (config.subprotocols().contains(p)) {
                return p;
            }
        }
        return null;
    }

    private Accepted accepted(HandshakeRequest request, UpgradeDecision decision, List<Extension> extensions) {
        String key = request.headers().first("Sec-WebSocket-Key").orElseThrow();
        Headers.Builder h = Headers.builder()
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Accept", AcceptKey.forKey(key));
        String subprotocol = decision.subprotocol().orElse(null);
        if (subprotocol != null) {
            h.add("Sec-WebSocket-Protocol", subprotocol);
        }
        if (!extensions.isEmpty()) {
            List<ExtensionParameters> agreed = new ArrayList<>(extensions.size());
            for (Extension e : extensions) {
                agreed.add(e.parameters());
            }
            // One field line: "the |Sec-WebSocket-Extensions| header field MUST NOT appear more
            // than once in an HTTP response" (RFC 6455 §11.3.2)
            h.add("Sec-WebSocket-Extensions", ExtensionHeader.format(agreed));
        }
        Headers headers = h.addAll(decision.headers()).build();
        HandshakeResponse response = new HandshakeResponse(101, HttpResponses.reasonPhrase(101), headers);
        Agreement agreement = new Agreement(request, response, subprotocol, extensions, decision.attributes());
        return new Accepted(agreement, HttpResponses.of(101, headers, NO_BODY));
    }

    private static String reservedHeader(Headers headers) {
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (HttpHeads.isUpgradeHeader(name) || HttpHeads.containsIgnoreCase(BODY_HEADERS, name)) {
                return name;
            }
        }
        return null;
    }

    private static Rejected internalError(String problem, Throwable cause) {
        LOG.log(System.Logger.Level.WARNING, problem, cause);
        return rejection(500, Headers.empty(), "the server failed to answer the WebSocket upgrade", problem);
    }

    private static Rejected refusal(int status, String problem) {
        return rejection(status, Headers.empty(), problem, problem);
    }

    private static Rejected rejection(int status, Headers extra, String body, String problem) {
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        Headers headers = HttpResponses.textHeaders(bodyBytes.length, extra);
        HandshakeResponse response = new HandshakeResponse(status, HttpResponses.reasonPhrase(status), headers);
        return new Rejected(response, HttpResponses.of(status, headers, bodyBytes), problem);
    }
}
