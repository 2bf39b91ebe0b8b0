package dev.weft.core.handshake;

import dev.weft.api.WebSocketConfig;
import dev.weft.api.handshake.HandshakeInterceptor;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.Headers;
import dev.weft.api.handshake.Interceptors;
import dev.weft.api.handshake.UpgradeDecision;
import dev.weft.core.handshake.ServerHandshake.Accepted;
import dev.weft.core.handshake.ServerHandshake.Rejected;
import dev.weft.core.handshake.ServerHandshake.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterceptorsTest {

    private static final WebSocketConfig CONFIG = WebSocketConfig.builder().extensions(List.of()).build();

    private static final String BASIC_CHALLENGE = "Basic realm=\"chat\", charset=\"UTF-8\"";
    private static final String BEARER_CHALLENGE = "Bearer realm=\"api\"";
    private static final String INVALID_TOKEN = "Bearer realm=\"api\", error=\"invalid_token\"";
    private static final String INVALID_REQUEST = "Bearer realm=\"api\", error=\"invalid_request\"";

    private static final String WRONG = "wrong user name or password";
    private static final String REQUIRED = "Basic credentials are required";
    private static final String MALFORMED = "the Basic credentials are malformed";

    /** A valid upgrade to {@code target}, plus the given name, value pairs. */
    private static HandshakeRequest requestTo(String target, String... extraHeaders) {
        Headers.Builder h = Headers.builder()
                .add("Host", "server.example.com")
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .add("Sec-WebSocket-Version", "13");
        h.addAll(Headers.of(extraHeaders));
        return new HandshakeRequest("GET", target, "HTTP/1.1", h.build());
    }

    private static HandshakeRequest request(String... extraHeaders) {
        return requestTo("/chat", extraHeaders);
    }

    private static UpgradeDecision decide(HandshakeInterceptor interceptor, HandshakeRequest request) {
        UpgradeDecision decision = new UpgradeDecision(List.of(), null);
        interceptor.intercept(request, decision);
        return decision;
    }

    private static Result answer(HandshakeInterceptor interceptor, HandshakeRequest request) {
        return new ServerHandshake(CONFIG, List.of(interceptor)).answer(request);
    }

    /** Asserts the full refusal as the client reads it off the wire. */
    private static void assertRefusedOnTheWire(Result result, int status, String challenge, String body) {
        Rejected r = assertInstanceOf(Rejected.class, result);
        Wire.Sent sent = Wire.readResponse(r.responseBytes());
        assertEquals(status, sent.response().status());
        assertEquals(challenge, sent.response().header("WWW-Authenticate"));
        assertEquals("close", sent.response().header("Connection"));
        assertEquals("text/plain; charset=utf-8", sent.response().header("Content-Type"));
        assertEquals(body, sent.body());
    }

    private static Accepted assertAccepted(Result result) {
        return assertInstanceOf(Accepted.class, result, () -> ((Rejected) result).problem());
    }

    private static String[] authorization(String value) {
        return new String[] {"Authorization", value};
    }

    private static String basic(String userPass) {
        return basic(userPass.getBytes(StandardCharsets.UTF_8));
    }

    private static String basic(byte[] userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass);
    }

    // ---------------------------------------------------------------- Origin

    private static final HandshakeInterceptor ORIGINS = Interceptors.allowOrigins("https://example.com", "http://127.0.0.1:8080");

    static Stream<Arguments> origins() {
        return Stream.of(
                Arguments.of("listed", "https://example.com", true),
                Arguments.of("listed with port", "http://127.0.0.1:8080", true),
                Arguments.of("scheme and host in upper case", "HTTPS://EXAMPLE.COM", true),
                Arguments.of("mixed case", "Https://Example.Com", true),
                Arguments.of("default port written out", "https://example.com:443", true),
                Arguments.of("other host", "https://evil.example", false),
                Arguments.of("listed host as a prefix", "https://example.com.evil.example", false),
                Arguments.of("listed host as a suffix", "https://notexample.com", false),
                Arguments.of("other scheme", "http://example.com", false),
                Arguments.of("other port", "https://example.com:8443", false),
                Arguments.of("port missing", "http://127.0.0.1", false),
                Arguments.of("port off by one", "http://127.0.0.1:8081", false),
                Arguments.of("port beyond int", "http://127.0.0.1:80800000000", false),
                Arguments.of("null origin, not listed", "null", false),
                Arguments.of("trailing slash", "https://example.com/", false),
                Arguments.of("user info", "https://user@example.com", false),
                Arguments.of("no scheme", "example.com", false),
                Arguments.of("origin list", "https://example.com https://evil.example", false));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("origins")
    void allowsOnlyListedOrigins(String name, String origin, boolean allowed) {
        UpgradeDecision d = decide(ORIGINS, request("Origin", origin));

        assertEquals(!allowed, d.isRejected());
        if (!allowed) {
            assertEquals(403, d.rejectStatus());
            assertTrue(d.rejectReason().contains(origin), d.rejectReason());
        }
    }

    @Test
    void letsARequestWithoutOriginThrough() {
        assertFalse(decide(ORIGINS, request()).isRejected());
        assertAccepted(answer(ORIGINS, request()));
    }

    @Test
    void theNullOriginMatchesOnlyWhenListedAsNull() {
        HandshakeInterceptor withNull = Interceptors.allowOrigins(List.of("null", "https://example.com"));

        assertFalse(decide(withNull, request("Origin", "null")).isRejected());
        assertTrue(decide(withNull, request("Origin", "NULL")).isRejected());
        assertTrue(decide(ORIGINS, request("Origin", "null")).isRejected());
    }

    @Test
    void comparesListEntriesCaseInsensitivelyAndWithoutTheirDefaultPort() {
        HandshakeInterceptor i = Interceptors.allowOrigins("HTTPS://Example.COM:443", "http://[::1]:8080", "wss://a.example:443",
                "https://[2001:DB8::1]");

        assertFalse(decide(i, request("Origin", "https://example.com")).isRejected());
        assertFalse(decide(i, request("Origin", "http://[::1]:8080")).isRejected());
        assertFalse(decide(i, request("Origin", "wss://a.example")).isRejected());
        assertTrue(decide(i, request("Origin", "http://[::1]")).isRejected());
        assertFalse(decide(i, request("Origin", "https://[2001:db8::1]")).isRejected());
        assertTrue(decide(i, request("Origin", "https://example.com:80")).isRejected());
    }

    @Test
    void anEmptyListRefusesEveryBrowser() {
        HandshakeInterceptor none = Interceptors.allowOrigins(List.of());

        assertTrue(decide(none, request("Origin", "https://example.com")).isRejected());
        assertFalse(decide(none, request()).isRejected());
    }

    @Test
    void keepsItsOwnCopyOfTheList() {
        List<String> origins = new ArrayList<>(List.of("https://example.com"));
        HandshakeInterceptor i = Interceptors.allowOrigins(origins);
        origins.set(0, "https://evil.example");

        assertFalse(decide(i, request("Origin", "https://example.com")).isRejected());
        assertTrue(decide(i, request("Origin", "https://evil.example")).isRejected());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/", "https://example.com/app", "example.com", "https://",
            "https://example.com:", "https://example.com:99999", "https://example.com:8o", "https://user@example.com",
            "NULL", "*", "", "https://bücher.example", "https://\u212Aey.example", "1http://example.com",
            "http://[::1", "http://[g::1]", "http://[]", "https://example.com?x", "https://example.com:123456789012"})
    void refusesAnEntryThatIsNotASerializedOrigin(String entry) {
        assertThrows(IllegalArgumentException.class, () -> Interceptors.allowOrigins(entry));
    }

    @Test
    void aRefusedOriginGets403WithABodyNamingIt() {
        assertRefusedOnTheWire(answer(ORIGINS, request("Origin", "https://evil.example")),
                403, null, "origin https://evil.example is not allowed");
        assertAccepted(answer(ORIGINS, request("Origin", "https://example.com")));
    }

    // ---------------------------------------------------------------- Basic

    private final List<String> basicCalls = new ArrayList<>();

    private final BiPredicate<String, String> passwords = (user, password) -> {
        basicCalls.add(user + "|" + password);
        return Map.of("alice", "secret", "bob", "se:cr:et", "jörg", "pässwort").getOrDefault(user, "\0").equals(password);
    };

    private HandshakeInterceptor basicAuth() {
        return Interceptors.basicAuth("chat", passwords);
    }

    static Stream<Arguments> goodBasicCredentials() {
        return Stream.of(
                Arguments.of(basic("alice:secret"), "alice", "alice|secret"),
                Arguments.of("basic " + basic("alice:secret").substring(6), "alice", "alice|secret"),
                Arguments.of("BASIC   " + basic("alice:secret").substring(6), "alice", "alice|secret"),
                Arguments.of(basic("bob:se:cr:et"), "bob", "bob|se:cr:et"),
                Arguments.of(basic("jörg:pässwort"), "jörg", "jörg|pässwort"));
    }

    @ParameterizedTest
    @MethodSource("goodBasicCredentials")
    void acceptsGoodBasicCredentialsAndRecordsTheUser(String authorization, String user, String call) {
        UpgradeDecision d = decide(basicAuth(), request("Authorization", authorization));

        assertFalse(d.isRejected(), d::rejectReason);
        assertEquals(user, d.attributes().get(Interceptors.USER));
        assertEquals(Headers.empty(), d.headers());
        assertEquals(List.of(call), basicCalls);
    }

    static Stream<Arguments> badBasicCredentials() {
        String aliceSecret = basic("alice:secret").substring("Basic ".length());
        return Stream.of(
                Arguments.of("wrong password", authorization(basic("alice:wrong")), WRONG, 1),
                Arguments.of("unknown user", authorization(basic("carol:secret")), WRONG, 1),
                Arguments.of("password split at a later colon", authorization(basic("bob:se:cr")), WRONG, 1),
                Arguments.of("missing header", new String[0], REQUIRED, 0),
                Arguments.of("other scheme", authorization("Bearer " + aliceSecret), REQUIRED, 0),
                Arguments.of("scheme run into the credentials", authorization("Basic" + aliceSecret), REQUIRED, 0),
                Arguments.of("not base64", authorization("Basic !!!"), MALFORMED, 0),
                Arguments.of("base64url alphabet", authorization("Basic ____"), MALFORMED, 0),
                Arguments.of("padding in the middle", authorization("Basic YQ==YQ=="), MALFORMED, 0),
                Arguments.of("nothing after the scheme", authorization("Basic"), MALFORMED, 0),
                Arguments.of("no colon", authorization(basic("alice")), MALFORMED, 0),
                Arguments.of("not UTF-8", authorization(basic(new byte[] {'a', ':', (byte) 0xC3, 0x28})), MALFORMED, 0),
                Arguments.of("Latin-1, not UTF-8", authorization(basic("jörg:pässwort".getBytes(StandardCharsets.ISO_8859_1))),
                        MALFORMED, 0),
                Arguments.of("control character", authorization(basic("alice:sec\nret")), MALFORMED, 0),
                Arguments.of("DEL", authorization(basic("alice\u007F:secret")), MALFORMED, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBasicCredentials")
    void refusesBadBasicCredentialsWith401AndAChallenge(String name, String[] headers, String reason, int checks) {
        UpgradeDecision d = decide(basicAuth(), request(headers));

        assertTrue(d.isRejected());
        assertEquals(401, d.rejectStatus());
        assertEquals(reason, d.rejectReason());
        assertEquals(List.of(BASIC_CHALLENGE), d.headers().all("WWW-Authenticate"));
        assertNull(d.attributes().get(Interceptors.USER));
        assertEquals(checks, basicCalls.size(), "malformed credentials never reach the predicate");
    }

    @Test
    void basicAuthThroughTheServerHandshake() {
        assertRefusedOnTheWire(answer(basicAuth(), request()), 401, BASIC_CHALLENGE, REQUIRED);
        assertRefusedOnTheWire(answer(basicAuth(), request("Authorization", basic("alice:wrong"))),
                401, BASIC_CHALLENGE, WRONG);
        assertRefusedOnTheWire(answer(basicAuth(), request("Authorization", "Basic %%%")),
                401, BASIC_CHALLENGE, MALFORMED);

        Accepted a = assertAccepted(answer(basicAuth(), request("Authorization", basic("alice:secret"))));
        assertEquals("alice", a.agreement().attributes().get(Interceptors.USER));
        assertNull(a.agreement().response().header("WWW-Authenticate"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\"b", "a\\b", "a\nb", "a\tb", "a\u0000b", "a\u007Fb", "réalm"})
    void refusesARealmThatCannotBeQuotedPlainly(String realm) {
        assertThrows(IllegalArgumentException.class, () -> Interceptors.basicAuth(realm, passwords));
        assertThrows(IllegalArgumentException.class, () -> Interceptors.bearerToken(realm, tokens));
    }

    @Test
    void anEmptyRealmIsStillQuoted() {
        UpgradeDecision d = decide(Interceptors.basicAuth("", passwords), request());

        assertEquals("Basic realm=\"\", charset=\"UTF-8\"", d.headers().first("WWW-Authenticate").orElseThrow());
    }

    // ---------------------------------------------------------------- Bearer

    private final List<String> tokenCalls = new ArrayList<>();

    private final Function<String, Optional<String>> tokens = token -> {
        tokenCalls.add(token);
        return Optional.ofNullable(Map.of("good", "alice", "a+b/c=", "bob", "mF_9.B5f-4.1JqM~", "carol").get(token));
    };

    static Stream<Arguments> goodBearerTokens() {
        return Stream.of(
                Arguments.of("Bearer good", "good", "alice"),
                Arguments.of("bearer good", "good", "alice"),
                Arguments.of("BEARER  good", "good", "alice"),
                Arguments.of("Bearer a+b/c=", "a+b/c=", "bob"),
                Arguments.of("Bearer mF_9.B5f-4.1JqM~", "mF_9.B5f-4.1JqM~", "carol"));
    }

    @ParameterizedTest
    @MethodSource("goodBearerTokens")
    void acceptsAGoodBearerTokenAndRecordsTheUser(String authorization, String token, String user) {
        UpgradeDecision d = decide(Interceptors.bearerToken("api", tokens), request("Authorization", authorization));

        assertFalse(d.isRejected(), d::rejectReason);
        assertEquals(user, d.attributes().get(Interceptors.USER));
        assertEquals(Headers.empty(), d.headers());
        assertEquals(List.of(token), tokenCalls);
    }

    static Stream<Arguments> badBearerTokens() {
        String malformed = "the bearer token is malformed";
        String required = "a bearer token is required";
        return Stream.of(
                Arguments.of("refused", "/chat", authorization("Bearer bad"), 401, INVALID_TOKEN, "the bearer token was refused", 1),
                Arguments.of("space inside", "/chat", authorization("Bearer go od"), 401, INVALID_TOKEN, malformed, 0),
                Arguments.of("'=' inside", "/chat", authorization("Bearer a=b"), 401, INVALID_TOKEN, malformed, 0),
                Arguments.of("only '='", "/chat", authorization("Bearer =="), 401, INVALID_TOKEN, malformed, 0),
                Arguments.of("non-ASCII", "/chat", authorization("Bearer gööd"), 401, INVALID_TOKEN, malformed, 0),
                Arguments.of("auth-params, not token68", "/chat", authorization("Bearer token=\"good\""), 401, INVALID_TOKEN, malformed, 0),
                Arguments.of("empty", "/chat", authorization("Bearer"), 401, INVALID_TOKEN, malformed, 0),
                Arguments.of("missing", "/chat", new String[0], 401, BEARER_CHALLENGE, required, 0),
                Arguments.of("other scheme", "/chat", authorization("Basic Z29vZA=="), 401, BEARER_CHALLENGE, required, 0),
                Arguments.of("query parameter while off", "/chat?access_token=good", new String[0], 401, BEARER_CHALLENGE, required, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBearerTokens")
    void refusesAMissingOrBadBearerToken(String name, String target, String[] headers, int status, String challenge,
                                         String reason, int lookups) {
        UpgradeDecision d = decide(Interceptors.bearerToken("api", tokens), requestTo(target, headers));

        assertEquals(status, d.rejectStatus());
        assertEquals(reason, d.rejectReason());
        assertEquals(List.of(challenge), d.headers().all("WWW-Authenticate"));
        assertNull(d.attributes().get(Interceptors.USER));
        assertEquals(lookups, tokenCalls.size(), "malformed tokens are never looked up");
    }

    static Stream<Arguments> queryTokens() {
        return Stream.of(
                Arguments.of("/chat?access_token=good", 0, "alice"),
                Arguments.of("/chat?room=a&access_token=good&x", 0, "alice"),
                Arguments.of("/chat?access_token=a%2Bb%2Fc%3D", 0, "bob"),
                Arguments.of("/chat?access_token=a+b/c%3d", 0, "bob"),
                Arguments.of("/chat?access%5Ftoken=good", 0, "alice"),
                Arguments.of("/chat?access_token=bad", 401, null),
                Arguments.of("/chat?access_token=%zz", 401, null),
                Arguments.of("/chat?access_token=go%20od", 401, null),
                Arguments.of("/chat?access_token", 401, null),
                Arguments.of("/chat?access_token=good&access_token=good", 400, null),
                Arguments.of("/chat?token=good", 401, null));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("queryTokens")
    void takesTheTokenFromTheQueryWhenAllowed(String target, int status, String user) {
        UpgradeDecision d = decide(Interceptors.bearerToken("api", tokens, true), requestTo(target));

        assertEquals(status, d.rejectStatus());
        assertEquals(user, d.attributes().get(Interceptors.USER));
    }

    @Test
    void aTokenInBothHeaderAndQueryIsAnInvalidRequest() {
        HandshakeInterceptor i = Interceptors.bearerToken("api", tokens, true);

        UpgradeDecision d = decide(i, requestTo("/chat?access_token=good", "Authorization", "Bearer good"));

        assertEquals(400, d.rejectStatus());
        assertEquals(List.of(INVALID_REQUEST), d.headers().all("WWW-Authenticate"));
        assertEquals(List.of(), tokenCalls);
        assertFalse(decide(i, requestTo("/chat?room=a", "Authorization", "Bearer good")).isRejected());
    }

    @Test
    void bearerTokenThroughTheServerHandshake() {
        HandshakeInterceptor i = Interceptors.bearerToken("api", tokens, true);

        assertRefusedOnTheWire(answer(i, request()), 401, BEARER_CHALLENGE, "a bearer token is required");
        assertRefusedOnTheWire(answer(i, request("Authorization", "Bearer bad")), 401, INVALID_TOKEN, "the bearer token was refused");
        assertRefusedOnTheWire(answer(i, request("Authorization", "Bearer b@d")), 401, INVALID_TOKEN, "the bearer token is malformed");
        assertRefusedOnTheWire(answer(i, requestTo("/chat?access_token=good&access_token=bad")), 400, INVALID_REQUEST,
                "send one bearer token, in Authorization or in access_token");

        Accepted header = assertAccepted(answer(i, request("Authorization", "Bearer good")));
        Accepted query = assertAccepted(answer(i, requestTo("/chat?access_token=a%2Bb%2Fc%3D")));
        assertEquals("alice", header.agreement().attributes().get(Interceptors.USER));
        assertEquals("bob", query.agreement().attributes().get(Interceptors.USER));
    }

    // ---------------------------------------------------------------- together

    @Test
    void originAndAuthenticationChainInTheServerHandshake() {
        ServerHandshake server = new ServerHandshake(CONFIG, List.of(ORIGINS, basicAuth()));

        assertRefusedOnTheWire(server.answer(request("Origin", "https://evil.example", "Authorization", basic("alice:secret"))),
                403, null, "origin https://evil.example is not allowed");
        assertEquals(List.of(), basicCalls, "the refused origin ended the chain");
        Accepted a = assertAccepted(server.answer(request("Origin", "https://example.com", "Authorization", basic("alice:secret"))));
        assertEquals(Map.of(Interceptors.USER, "alice"), a.agreement().attributes());
    }
}
