package dev.weft.core.handshake;

import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.HandshakeResponse;
import dev.weft.api.handshake.Headers;
import dev.weft.api.handshake.HttpResponses;
import dev.weft.core.extension.ExtensionHeader;
import dev.weft.core.extension.ExtensionNegotiator;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The client's side of the opening handshake (RFC 6455 §4.1): builds the upgrade request for a
 * WebSocket URI and validates the server's response.
 *
 * <p>Immutable once built, but good for one connection attempt only: its key is a nonce that "MUST be
 * selected randomly for each connection" (RFC 6455 §4.1).
 */
public final class ClientHandshake {

    private final HandshakeRequest request;
    private final byte[] requestBytes;
    private final String expectedAccept;
    private final List<String> subprotocols;
    private final List<ExtensionFactory> offeringFactories;
    private final ExtensionContext extensionContext;

    /**
     * Builds the request.
     *
     * @param uri a {@code ws}, {@code wss}, {@code http} or {@code https} URI with a host and no
     *     fragment; an empty path means {@code /}, and the query is sent as written. User-info
     *     ({@code user:password@}) becomes {@code Authorization: Basic} unless
     *     {@code extraHeaders} has an {@code Authorization} of its own.
     * @param extraHeaders added after the handshake's own headers (an {@code Origin}, cookies)
     * @param config the subprotocols and extensions to offer, and the limits for extensions
     * @param random the source of the {@code Sec-WebSocket-Key}: a
     *     {@link java.security.SecureRandom}, or a seeded {@link Random} in tests
     * @throws IllegalArgumentException if the URI is not a WebSocket URI as described, if
     *     {@code extraHeaders} names {@code Host}, {@code Upgrade}, {@code Connection} or any
     *     {@code Sec-WebSocket-*} header (the handshake writes those from the URI and the
     *     configuration), or if a configured subprotocol is not a token
     */
    public ClientHandshake(URI uri, Headers extraHeaders, WebSocketConfig config, Random random) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort = switch (scheme) {
            case "ws", "http" -> 80;
            case "wss", "https" -> 443;
            default -> throw new IllegalArgumentException("not a ws, wss, http or https URI: " + uri);
        };
        // "Characters in other components that are excluded by the syntax defined above MUST be
        // converted from Unicode to ASCII by first encoding the characters as UTF-8 and then
        // replacing the corresponding bytes using their percent-encoded form" (RFC 6455 §11.1.1)
        URI ascii = URI.create(uri.toASCIIString());
        if (ascii.getHost() == null) {
            throw new IllegalArgumentException("no host in " + uri);
        }
        // "Fragment identifiers are meaningless in the context of WebSocket URIs and MUST NOT be
        // used on these URIs." (RFC 6455 §3)
        if (ascii.getRawFragment() != null) {
            throw new IllegalArgumentException("a WebSocket URI must not have a fragment: " + uri);
        }
        for (int i = 0; i < extraHeaders.size(); i++) {
            String name = extraHeaders.name(i);
            if (name.equalsIgnoreCase("Host") || HttpHeads.isUpgradeHeader(name)) {
                throw new IllegalArgumentException("header " + name + " is written by the handshake itself");
            }
        }
        for (String p : config.subprotocols()) {
            if (!HttpHeads.isToken(p)) {
                throw new IllegalArgumentException("subprotocol is not a token: " + p);
            }
        }

        this.subprotocols = config.subprotocols();
        this.extensionContext = new ExtensionContext(Role.CLIENT, config.maxFrameSize(), config.maxMessageSize());
        List<ExtensionParameters> offers = ExtensionNegotiator.offers(config.extensions(), extensionContext);
        this.offeringFactories = offeringFactories(config.extensions(), offers);
        String key = AcceptKey.newKey(random);
        this.expectedAccept = AcceptKey.forKey(key);

        // "The request MUST contain a |Host| header field whose value contains /host/ plus
        // optionally ":" followed by /port/ (when not using the default port)." (RFC 6455 §4.1)
        // URI.getHost() keeps an IPv6 literal's brackets, as Host needs them.
        int port = ascii.getPort();
        String host = port == -1 || port == defaultPort ? ascii.getHost() : ascii.getHost() + ":" + port;
        Headers.Builder h = Headers.builder()
                .add("Host", host)
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Key", key)
                .add("Sec-WebSocket-Version", HttpHeads.WEBSOCKET_VERSION);
        if (!subprotocols.isEmpty()) {
            h.add("Sec-WebSocket-Protocol", String.join(", ", subprotocols));
        }
        if (!offers.isEmpty()) {
            h.add("Sec-WebSocket-Extensions", ExtensionHeader.format(offers));
        }
        if (uri.getUserInfo() != null && !extraHeaders.contains("Authorization")) {
            // RFC 7617 §2: "Basic" base64(user-id ":" password); UTF-8 is the charset §2.1 allows.
            h.add("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(uri.getUserInfo().getBytes(StandardCharsets.UTF_8)));
        }
        h.addAll(extraHeaders);
        this.request = new HandshakeRequest("GET", resourceName(ascii), "HTTP/1.1", h.build());
        String requestLine = "GET " + request.target() + " HTTP/1.1";
        this.requestBytes = HttpResponses.encode(requestLine, request.headers(), new byte[0]).array();
    }

    /** The request, as it will be sent. */
    public HandshakeRequest request() {
        return request;
    }

    /** The request as bytes, in a new read-only buffer on each call. */
    public ByteBuffer requestBytes() {
        return ByteBuffer.wrap(requestBytes).asReadOnlyBuffer();
    }

    /**
     * Validates the server's response (RFC 6455 §4.1).
     *
     * @return what was agreed; its extensions belong to the caller, who closes them
     * @throws HandshakeException naming what was wrong: with the response's status if it was not
     *     101, with status 0 for anything else (a missing or wrong {@code Upgrade},
     *     {@code Connection} or {@code Sec-WebSocket-Accept}; a subprotocol or extension that was
     *     not offered; an extension listed twice, claiming another's RSV bits or refused by its
     *     factory; a {@code Sec-WebSocket-Extensions} value that does not parse). Extensions made
     *     before the failure are closed.
     */
    public Agreement accept(HandshakeResponse response) {
        // "If the status code received from the server is not 101, the client handles the response
        // per HTTP [RFC2616] procedures." (RFC 6455 §4.1) Redirects and authentication are the
        // caller's to follow, so the status and the headers go back with the exception.
        if (response.status() != 101) {
            String reason = response.reason().isEmpty() ? "" : " " + response.reason();
            throw new HandshakeException(response.status(), "server answered " + response.status() + reason,
                    response.headers());
        }
        Headers headers = response.headers();
        // "If the response lacks an |Upgrade| header field or the |Upgrade| header field contains a
        // value that is not an ASCII case-insensitive match for the value "websocket", the client
        // MUST _Fail the WebSocket Connection_." (RFC 6455 §4.1)
        List<String> upgrade = HttpHeads.listElements(headers.all("Upgrade"));
        if (upgrade.size() != 1 || !upgrade.get(0).equalsIgnoreCase("websocket")) {
            throw failure(upgrade.isEmpty() ? "the Upgrade header is missing"
                    : "the Upgrade header is " + String.join(", ", upgrade) + ", not websocket");
        }
        // "If the response lacks a |Connection| header field or the |Connection| header field
        // doesn't contain a token that is an ASCII case-insensitive match for the value "Upgrade",
        // the client MUST _Fail the WebSocket Connection_." (RFC 6455 §4.1)
        if (!HttpHeads.containsIgnoreCase(HttpHeads.listElements(headers.all("Connection")), "Upgrade")) {
            throw failure("the Connection header does not include Upgrade");
        }
        // "If the response lacks a |Sec-WebSocket-Accept| header field or the
        // |Sec-WebSocket-Accept| contains a value other than the base64-encoded SHA-1 of [...] the
        // |Sec-WebSocket-Key| [...] with the string "258EAFA5-E914-47DA-95CA-C5AB0DC85B11" but
        // ignoring any leading and trailing whitespace, the client MUST _Fail the WebSocket
        // Connection_." (RFC 6455 §4.1) "The |Sec-WebSocket-Accept| header MUST NOT appear more
        // than once in an HTTP response." (RFC 6455 §11.3.3)
        List<String> accepts = headers.all("Sec-WebSocket-Accept");
        if (accepts.size() != 1 || !Headers.trimOws(accepts.get(0)).equals(expectedAccept)) {
            throw failure(accepts.isEmpty() ? "the Sec-WebSocket-Accept header is missing"
                    : "the Sec-WebSocket-Accept header does not match the key sent");
        }
        String subprotocol = agreedSubprotocol(headers.all("Sec-WebSocket-Protocol"));
        List<ExtensionParameters> agreed = agreedExtensions(headers.all("Sec-WebSocket-Extensions"));
        List<Extension> extensions = ExtensionNegotiator.accepted(agreed, offeringFactories, extensionContext);
        return new Agreement(request, response, subprotocol, extensions, Map.of());
    }

    private String agreedSubprotocol(List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        // "the |Sec-WebSocket-Protocol| header field MUST NOT appear more than once in an HTTP
        // response" (RFC 6455 §11.3.4)
        if (values.size() > 1) {
            throw failure("the Sec-WebSocket-Protocol header appears " + values.size() + " times");
        }
        String chosen = Headers.trimOws(values.get(0));
        // "If the response includes a |Sec-WebSocket-Protocol| header field and this header field
        // indicates the use of a subprotocol that was not present in the client's handshake [...],
        // the client MUST _Fail the WebSocket Connection_." (RFC 6455 §4.1)
        if (subprotocols.isEmpty()) {
            throw failure("the server chose subprotocol " + chosen + " but none was offered");
        }
        if (!subprotocols.contains(chosen)) {
            throw failure("the server chose subprotocol " + chosen + ", which was not offered");
        }
        return chosen;
    }

    private static List<ExtensionParameters> agreedExtensions(List<String> values) {
        // "the |Sec-WebSocket-Extensions| header field MUST NOT appear more than once in an HTTP
        // response" (RFC 6455 §11.3.2)
        if (values.size() > 1) {
            throw failure("the Sec-WebSocket-Extensions header appears " + values.size() + " times");
        }
        try {
            return ExtensionHeader.parse(values);
        } catch (IllegalArgumentException e) {
            throw failure(e.getMessage());
        }
    }

    // The resource name: "/" if the path is empty, the path, and "?" and the query if the query is
    // non-empty (RFC 6455 §3).
    private static String resourceName(URI ascii) {
        String path = ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
        String query = ascii.getRawQuery();
        return query == null || query.isEmpty() ? path : path + "?" + query;
    }

    // A response may only name an extension the client offered, and the factories that made an
    // offer are the ones that can make sense of the answer.
    private static List<ExtensionFactory> offeringFactories(List<ExtensionFactory> factories,
                                                            List<ExtensionParameters> offers) {
        List<ExtensionFactory> out = new ArrayList<>();
        for (ExtensionFactory f : factories) {
            for (ExtensionParameters offer : offers) {
                if (offer.name().equals(f.name())) {
                    out.add(f);
                    break;
                }
            }
        }
        return List.copyOf(out);
    }

    private static HandshakeException failure(String message) {
        return new HandshakeException(0, message);
    }
}
