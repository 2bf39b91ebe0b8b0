package dev.weft.core.handshake;

import dev.weft.api.HttpProxy;
import dev.weft.api.ProxyException;
import dev.weft.api.WebSocketConfig;
import dev.weft.core.handshake.ProxyTunnel.Established;
import dev.weft.core.handshake.ProxyTunnel.NeedMore;
import dev.weft.core.handshake.ProxyTunnel.Refused;
import dev.weft.core.handshake.ProxyTunnel.Step;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProxyTunnelTest {

    private static final HttpProxy PROXY = HttpProxy.of("127.0.0.1", 3128);
    private static final WebSocketConfig DEFAULTS = WebSocketConfig.defaults();
    private static final String ESTABLISHED = "HTTP/1.1 200 Connection established\r\n\r\n";

    private static ProxyTunnel tunnel() {
        return new ProxyTunnel(PROXY, "example.com", 443, DEFAULTS);
    }

    private static ByteBuffer bytes(String latin1) {
        return ByteBuffer.wrap(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static ProxyException refusal(Step step) {
        return assertInstanceOf(Refused.class, step).cause();
    }

    @Test
    void asksForTheTunnelWithTheDestinationInAuthorityFormAndAsHost() {
        assertEquals("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", Wire.text(tunnel().requestBytes()));
    }

    @Test
    void sendsBasicCredentialsAsProxyAuthorization() {
        // RFC 7617 §2's example: Aladdin / open sesame
        ProxyTunnel tunnel = new ProxyTunnel(PROXY.withCredentials("Aladdin", "open sesame"), "example.com", 80, DEFAULTS);
        assertEquals("CONNECT example.com:80 HTTP/1.1\r\nHost: example.com:80\r\n"
                + "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n", Wire.text(tunnel.requestBytes()));
    }

    @Test
    void bracketsAnIpv6Destination() {
        String expected = "CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\n\r\n";
        assertEquals(expected, Wire.text(new ProxyTunnel(PROXY, "[::1]", 8443, DEFAULTS).requestBytes()));
        assertEquals(expected, Wire.text(new ProxyTunnel(PROXY, "::1", 8443, DEFAULTS).requestBytes()));
    }

    @Test
    void isEstablishedBy2xxWhateverTheSplit() {
        byte[] answer = ESTABLISHED.getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 0; split <= answer.length; split++) {
            ProxyTunnel tunnel = tunnel();
            Step first = tunnel.feed(ByteBuffer.wrap(answer, 0, split));
            if (split < answer.length) {
                assertInstanceOf(NeedMore.class, first, "split at " + split);
                first = tunnel.feed(ByteBuffer.wrap(answer, split, answer.length - split));
            }
            assertEquals(0, assertInstanceOf(Established.class, first).leftover().remaining(), "split at " + split);
        }
    }

    @Test
    void handsBackTheServersBytesThatCameWithTheAnswer() {
        ByteBuffer in = bytes("HTTP/1.0 200 OK\r\nVia: 1.1 squid\r\n\r\n\u0016\u0003\u0001");
        Established established = assertInstanceOf(Established.class, tunnel().feed(in));
        assertEquals("\u0016\u0003\u0001", Wire.text(established.leftover()));
        assertEquals(0, in.remaining(), "every byte fed is taken");
    }

    @Test
    void skipsInterimResponses() {
        ProxyTunnel tunnel = tunnel();
        assertInstanceOf(NeedMore.class, tunnel.feed(bytes("HTTP/1.1 100 Continue\r\n\r\n")));
        assertInstanceOf(Established.class, tunnel.feed(bytes("HTTP/1.1 103 Early Hints\r\n\r\n" + ESTABLISHED)));
    }

    @Test
    void aRefusalNamesTheProxyTheDestinationAndTheStatus() {
        ProxyException e = refusal(tunnel().feed(bytes("HTTP/1.1 407 Proxy Authentication Required\r\n"
                + "Proxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 5\r\n\r\ndeny!")));
        assertEquals(407, e.status());
        assertEquals("127.0.0.1:3128", e.proxy());
        assertEquals("the proxy 127.0.0.1:3128 refused the tunnel to example.com:443: 407 Proxy Authentication Required",
                e.getMessage());
    }

    @Test
    void everyStatusOutside2xxIsARefusal() {
        for (int status : new int[] {301, 400, 403, 404, 500, 502, 503, 504}) {
            assertEquals(status, refusal(tunnel().feed(bytes("HTTP/1.1 " + status + " \r\n\r\n"))).status());
        }
        assertEquals("the proxy 127.0.0.1:3128 refused the tunnel to example.com:443: 502",
                refusal(tunnel().feed(bytes("HTTP/1.1 502\r\n\r\n"))).getMessage());
    }

    @Test
    void somethingOtherThanHttpIsARefusalWithoutStatus() {
        ProxyException e = refusal(tunnel().feed(bytes("SSH-2.0-OpenSSH_9.2\r\n")));
        assertEquals(0, e.status());
        assertEquals("the proxy 127.0.0.1:3128 answered the CONNECT to example.com:443 with no valid HTTP response: "
                + "the status line is not 'HTTP/x.y SP code SP reason'", e.getMessage());
    }

    @Test
    void boundsTheHeadsInterimOnesIncluded() {
        WebSocketConfig small = WebSocketConfig.builder().maxHandshakeHeadSize(256).build();
        ProxyTunnel tunnel = new ProxyTunnel(PROXY, "example.com", 443, small);
        String interims = "HTTP/1.1 100 Continue\r\n\r\n".repeat(10); // 250 bytes
        assertInstanceOf(NeedMore.class, tunnel.feed(bytes(interims)));
        ProxyException e = refusal(tunnel.feed(bytes(ESTABLISHED)));
        assertEquals(0, e.status());
        assertEquals("the proxy 127.0.0.1:3128 answered the CONNECT to example.com:443 with no valid HTTP response: "
                + "the head is larger than 6 bytes", e.getMessage());
    }

    @Test
    void theProxyClosingFirstIsARefusal() {
        ProxyTunnel tunnel = tunnel();
        assertInstanceOf(NeedMore.class, tunnel.feed(bytes("HTTP/1.1 200")));
        ProxyException e = tunnel.endOfInput().cause();
        assertEquals(0, e.status());
        assertEquals("the proxy 127.0.0.1:3128 closed the connection before answering the CONNECT to example.com:443",
                e.getMessage());
    }

    @Test
    void isOverAfterAFinalStep() {
        ProxyTunnel tunnel = tunnel();
        tunnel.feed(bytes(ESTABLISHED));
        assertThrows(IllegalStateException.class, () -> tunnel.feed(bytes("more")));
        assertThrows(IllegalStateException.class, tunnel::endOfInput);
    }
}
