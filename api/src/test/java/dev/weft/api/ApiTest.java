package dev.weft.api;

import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.Headers;
import dev.weft.api.handshake.UpgradeDecision;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public value types: what they accept, what they refuse. */
class ApiTest {

    @Test
    void closeCodesValidOnTheWireFollowRfc6455AndTheIanaRegistry() {
        List<Integer> valid = IntStream.range(0, 70000).filter(CloseCodes::isValidOnWire).boxed().toList();
        List<Integer> expected = IntStream.concat(IntStream.concat(IntStream.rangeClosed(1000, 1003),
                IntStream.rangeClosed(1007, 1014)), IntStream.rangeClosed(3000, 4999)).boxed().toList();
        assertEquals(expected, valid);
        for (int reportOnly : new int[] {1005, 1006, 1015}) {
            assertFalse(CloseCodes.isValidOnWire(reportOnly), reportOnly + " is never sent");
        }
        assertEquals("1009 MESSAGE_TOO_BIG", CloseCodes.describe(1009));
        assertEquals("4000", CloseCodes.describe(4000));
    }

    @Test
    void opcodesMapOnlyTheDefinedValues() {
        for (int code = 0; code < 16; code++) {
            Opcode op = Opcode.fromCode(code);
            boolean defined = code <= 2 || (code >= 8 && code <= 10);
            assertEquals(defined, op != null, "opcode " + code);
            if (op != null) {
                assertEquals(code, op.code());
                assertEquals(code >= 8, op.isControl());
            }
        }
        assertNull(Opcode.fromCode(16));
        assertNull(Opcode.fromCode(-1));
    }

    @Test
    void framesAcceptAnyReservedBitsButNothingElseAndShareAReadOnlyPayload() {
        Frame f = new Frame(false, Frame.RSV1 | Frame.RSV3, Opcode.BINARY, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertTrue(f.rsv1() && !f.rsv2() && f.rsv3() && !f.fin());
        assertEquals(3, f.payloadLength());
        assertThrows(ReadOnlyBufferException.class, () -> f.payload().put((byte) 0));
        assertEquals(f.payload(), f.payload(), "each view starts at zero");
        assertThrows(IllegalArgumentException.class, () -> new Frame(true, 0x80, Opcode.TEXT, null));
        assertThrows(IllegalArgumentException.class, () -> new Frame(true, 0x01, Opcode.TEXT, null));
        assertEquals(0, new Frame(true, 0, Opcode.PING, null).payloadLength());
        assertEquals(f, f.withFin(true).withFin(false));
        assertEquals(Opcode.CONTINUATION, f.withOpcode(Opcode.CONTINUATION).opcode());
        assertEquals("Hello", new String(bytes(Frame.text("Hello").payload())));
    }

    @Test
    void headersCompareNamesWithoutCaseAndRefuseInjection() {
        Headers h = Headers.builder().add("Sec-WebSocket-Protocol", "a").add("sec-websocket-protocol", "b").add("Host", "x").build();
        assertEquals(List.of("a", "b"), h.all("SEC-WEBSOCKET-PROTOCOL"));
        assertEquals(Optional.of("x"), h.first("host"));
        assertEquals(List.of(), h.all("Origin"));
        assertThrows(IllegalArgumentException.class, () -> Headers.builder().add("X-Evil", "a\r\nSet-Cookie: b"));
        assertThrows(IllegalArgumentException.class, () -> Headers.builder().add("Bad Name", "a"));
        assertThrows(IllegalArgumentException.class, () -> Headers.builder().add("", "a"));
        assertThrows(IllegalArgumentException.class, () -> Headers.of("odd"));
        assertEquals(List.of("x"), Headers.of("A", "1", "a", "2").toBuilder().set("a", "x").build().all("A"));
    }

    @Test
    void handshakeRequestSplitsTargetAndSubprotocols() {
        HandshakeRequest r = new HandshakeRequest("GET", "/chat/room?x=1&y=2", "HTTP/1.1",
                Headers.of("Sec-WebSocket-Protocol", "v2.chat, v1.chat", "Sec-WebSocket-Protocol", "json", "Origin", "https://a.example"));
        assertEquals("/chat/room", r.path());
        assertEquals(Optional.of("x=1&y=2"), r.query());
        assertEquals(List.of("v2.chat", "v1.chat", "json"), r.subprotocols());
        assertEquals(Optional.of("https://a.example"), r.origin());
    }

    @Test
    void anUpgradeDecisionOnlyAgreesOnOfferedSubprotocolsAndRejectsWithErrorStatuses() {
        UpgradeDecision d = new UpgradeDecision(List.of("a", "b"), "a");
        d.subprotocol("b");
        assertEquals(Optional.of("b"), d.subprotocol());
        assertThrows(IllegalArgumentException.class, () -> d.subprotocol("c"));
        assertThrows(IllegalArgumentException.class, () -> d.reject(302, "redirect"));
        assertFalse(d.isRejected());
        d.reject(403, "origin not allowed");
        assertTrue(d.isRejected());
        assertEquals(403, d.rejectStatus());
    }

    @Test
    void extensionParametersAreTokensAndRenderInHeaderForm() {
        ExtensionParameters p = ExtensionParameters.of("permessage-deflate").with("client_max_window_bits").with("server_max_window_bits", "10");
        assertEquals("permessage-deflate; client_max_window_bits; server_max_window_bits=10", p.toString());
        assertTrue(p.has("CLIENT_MAX_WINDOW_BITS"));
        assertEquals(Optional.empty(), p.value("client_max_window_bits"));
        assertEquals(Optional.of("10"), p.value("server_max_window_bits"));
        assertEquals(2, p.with("server_max_window_bits", "9").count("server_max_window_bits"));
        assertThrows(IllegalArgumentException.class, () -> ExtensionParameters.of("bad name"));
        assertThrows(IllegalArgumentException.class, () -> p.with("x", "not a token"));
        assertThrows(IllegalArgumentException.class, () -> p.with("x", ""));
    }

    @Test
    void configDefaultsAreSafeAndBadValuesAreRefused() {
        WebSocketConfig c = WebSocketConfig.builder().extensions(List.of()).build();
        assertEquals(16 << 20, c.maxFrameSize());
        assertEquals(16 << 20, c.maxMessageSize());
        assertEquals(Duration.ofSeconds(10), c.closeTimeout());
        assertEquals(Duration.ofMinutes(5), c.idleTimeout());
        assertEquals(Duration.ZERO, c.keepAliveInterval());
        assertTrue(c.autoPong());
        assertEquals(c.maxFrameSize(), c.toBuilder().build().maxFrameSize());
        assertThrows(IllegalArgumentException.class, () -> WebSocketConfig.builder().maxFrameSize(124));
        assertThrows(IllegalArgumentException.class, () -> WebSocketConfig.builder().maxMessageSize(0));
        assertThrows(IllegalArgumentException.class, () -> WebSocketConfig.builder().closeTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> WebSocketConfig.builder().idleTimeout(Duration.ofSeconds(-1)));
    }

    @Test
    void installedExtensionsAreFoundWithServiceLoaderAndCanBeSwitchedOff() {
        assertTrue(WebSocketConfig.defaults().extensions().stream().anyMatch(f -> f instanceof TestExtensionFactory),
                "the factory registered in META-INF/services is enabled by default");
        assertEquals(List.of(), WebSocketConfig.builder().extensions(List.of()).build().extensions());
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
