package dev.weft.core.handshake;

import dev.weft.api.WebSocketConfig;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.Headers;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which redirects of an upgrade are followed, where to, and which are refused and why. */
class RedirectsTest {

    private static final URI WS = URI.create("ws://example.com:8080/a/b?q=1");
    private static final URI WSS = URI.create("wss://example.com/a/b");

    private static HandshakeException answered(int status, String location) {
        Headers headers = location == null ? Headers.empty() : Headers.of("Location", location);
        return new HandshakeException(status, "server answered " + status, headers);
    }

    private static String refusal(Redirects redirects, URI from, HandshakeException answer) {
        HandshakeException e = assertThrows(HandshakeException.class, () -> redirects.next(from, answer));
        assertEquals(answer.status(), e.status());
        return e.getMessage();
    }

    @Test
    void aNonTwoHundredResponseCarriesItsHeadersInTheException() {
        ClientOpening opening = new ClientOpening(
                new ClientHandshake(WS, Headers.empty(), WebSocketConfig.defaults(), new Random(1)), WebSocketConfig.defaults());
        ClientOpening.Step step = opening.feed(ByteBuffer.wrap(
                "HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
        HandshakeException cause = assertInstanceOf(ClientOpening.Failed.class, step).cause();
        assertEquals(302, cause.status());
        assertEquals("/elsewhere", cause.headers().first("Location").orElseThrow());
    }

    @Test
    void theFourRedirectStatusesAreFollowedAndNoOtherStatus() {
        for (int status : new int[] {301, 302, 307, 308}) {
            assertEquals(URI.create("ws://other:9/x"), new Redirects(1).next(WS, answered(status, "ws://other:9/x")));
        }
        for (int status : new int[] {300, 303, 304, 400, 404, 500}) {
            assertNull(new Redirects(1).next(WS, answered(status, "ws://other:9/x")), "status " + status);
        }
        assertNull(new Redirects(0).next(WS, answered(301, "ws://other:9/x")), "off: reported as it is");
    }

    @Test
    void relativeLocationsAreResolvedAgainstTheUriAskedForAndFragmentsDropped() {
        assertEquals(URI.create("ws://example.com:8080/a/c"), new Redirects(1).next(WS, answered(301, "c")));
        assertEquals(URI.create("ws://example.com:8080/d?e=2"), new Redirects(1).next(WS, answered(301, "/d?e=2")));
        assertEquals(URI.create("ws://other/f"), new Redirects(1).next(WS, answered(301, "//other/f")));
        assertEquals(URI.create("ws://other/g"), new Redirects(1).next(WS, answered(301, " ws://other/g#top ")));
    }

    @Test
    void httpAndHttpsTargetsAreWebSocketTargetsToo() {
        assertEquals(URI.create("http://other/h"), new Redirects(1).next(WS, answered(308, "http://other/h")));
        assertEquals(URI.create("https://other/h"), new Redirects(1).next(WSS, answered(308, "https://other/h")));
        assertEquals(URI.create("wss://other/h"), new Redirects(1).next(WS, answered(308, "wss://other/h")),
                "an upgrade to TLS is fine");
    }

    @Test
    void neverFromWssToWs() {
        assertTrue(refusal(new Redirects(5), WSS, answered(301, "ws://example.com/a/b")).contains("would drop TLS"));
        assertTrue(refusal(new Redirects(5), WSS, answered(301, "http://example.com/")).contains("would drop TLS"));
        assertTrue(refusal(new Redirects(5), URI.create("https://example.com/"), answered(301, "ws://example.com/"))
                .contains("would drop TLS"));
    }

    @Test
    void aRedirectWithoutLocationOrToAnotherSchemeIsAnError() {
        assertTrue(refusal(new Redirects(5), WS, answered(301, null)).contains("no Location"));
        assertTrue(refusal(new Redirects(5), WS, answered(302, "  ")).contains("no Location"));
        assertTrue(refusal(new Redirects(5), WS, answered(307, "ftp://example.com/x")).contains("not a ws, wss, http or https URI"));
        assertTrue(refusal(new Redirects(5), WS, answered(307, "mailto:a@example.com")).contains("not a ws, wss, http or https URI"));
        assertTrue(refusal(new Redirects(5), WS, answered(308, "ws://bad host/")).contains("is not a URI"));
    }

    @Test
    void theLimitCountsEveryRedirectOfOneConnect() {
        Redirects redirects = new Redirects(2);
        assertEquals(URI.create("ws://example.com:8080/1"), redirects.next(WS, answered(301, "/1")));
        assertEquals(URI.create("ws://example.com:8080/2"), redirects.next(WS, answered(301, "/2")));
        assertTrue(refusal(redirects, WS, answered(301, "/3")).contains("it would be redirect 3, over the limit of 2"));
        assertThrows(IllegalArgumentException.class, () -> new Redirects(-1));
    }

    @Test
    void credentialsGoOnlyToTheServerTheyWereGivenFor() {
        Headers headers = Headers.of("Authorization", "Bearer t", "Cookie", "s=1", "X-Trace", "7");
        assertEquals(headers, Redirects.headersFor(WS, URI.create("ws://EXAMPLE.com:8080/other"), headers));
        Headers elsewhere = Redirects.headersFor(WS, URI.create("ws://example.com/other"), headers);
        assertFalse(elsewhere.contains("Authorization"));
        assertFalse(elsewhere.contains("Cookie"));
        assertEquals("7", elsewhere.first("X-Trace").orElseThrow());
        assertFalse(Redirects.headersFor(WSS, URI.create("wss://other.example/"), headers).contains("Authorization"));
    }
}
