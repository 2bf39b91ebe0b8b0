package dev.weft.testing;

import dev.weft.api.CloseCodes;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketConfig;
import dev.weft.testing.ServerContract.ServerUnderTest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.weft.testing.OnTheWire.concat;
import static dev.weft.testing.OnTheWire.utf8;

/**
 * The bad-input part of the {@link ServerContract}: each frame a server must refuse, written in one
 * write after a valid upgrade, gets a close frame with its code (RFC 6455 §7.4.1), then the end of
 * TCP, and the handler sees the same code.
 */
final class Violations {

    /** The limits of the limit checks: small, so the bytes that break them fit in one read. */
    static final int MAX_FRAME = 256;
    static final int MAX_MESSAGE = 512;
    static final int MAX_FRAGMENTS = 8;

    /** Bytes a server must refuse, made with the client that sends them (for its masking). */
    private record Bad(String label, int code, Function<RawClient, byte[]> bytes) {
    }

    private static final byte[] X = utf8("x");

    private static final List<Bad> PROTOCOL = List.of(
            new Bad("an unmasked frame", CloseCodes.PROTOCOL_ERROR, raw -> new byte[] {(byte) 0x81, 1, 'x'}),
            new Bad("reserved opcode 0x3", CloseCodes.PROTOCOL_ERROR, raw -> raw.frame(0x83, X)),
            new Bad("reserved control opcode 0xB", CloseCodes.PROTOCOL_ERROR, raw -> raw.frame(0x8B, X)),
            new Bad("RSV1 with no extension agreed", CloseCodes.PROTOCOL_ERROR, raw -> raw.frame(0x81 | Frame.RSV1, X)),
            new Bad("RSV2 with no extension agreed", CloseCodes.PROTOCOL_ERROR, raw -> raw.frame(0x81 | Frame.RSV2, X)),
            new Bad("RSV3 with no extension agreed", CloseCodes.PROTOCOL_ERROR, raw -> raw.frame(0x81 | Frame.RSV3, X)),
            new Bad("a fragmented ping", CloseCodes.PROTOCOL_ERROR, raw -> raw.frame(false, Opcode.PING, X)),
            new Bad("a ping of 126 bytes", CloseCodes.PROTOCOL_ERROR, raw -> raw.frame(true, Opcode.PING, new byte[126])),
            new Bad("a continuation with no message to continue", CloseCodes.PROTOCOL_ERROR,
                    raw -> raw.frame(true, Opcode.CONTINUATION, X)),
            new Bad("a text frame inside a fragmented message", CloseCodes.PROTOCOL_ERROR,
                    raw -> concat(raw.frame(false, Opcode.TEXT, X), raw.frame(true, Opcode.TEXT, X))),
            new Bad("a 64-bit length with its top bit set", CloseCodes.PROTOCOL_ERROR,
                    raw -> new byte[] {(byte) 0x82, (byte) (0x80 | 127), (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}),
            new Bad("a close payload of one byte", CloseCodes.PROTOCOL_ERROR,
                    raw -> raw.frame(true, Opcode.CLOSE, new byte[] {3})),
            new Bad("invalid UTF-8 in a text message", CloseCodes.INVALID_PAYLOAD,
                    raw -> raw.frame(true, Opcode.TEXT, new byte[] {'a', (byte) 0xC3, 0x28})),
            new Bad("invalid UTF-8 in a message's first fragment, before the message ends", CloseCodes.INVALID_PAYLOAD,
                    raw -> raw.frame(false, Opcode.TEXT, new byte[] {'a', (byte) 0xFF})),
            new Bad("a text message ending inside a code point", CloseCodes.INVALID_PAYLOAD,
                    raw -> raw.frame(true, Opcode.TEXT, new byte[] {'a', (byte) 0xF0, (byte) 0x9F})),
            new Bad("invalid UTF-8 in a close reason", CloseCodes.INVALID_PAYLOAD,
                    raw -> raw.frame(true, Opcode.CLOSE, OnTheWire.closePayload(1000, new byte[] {(byte) 0xFF}))));

    /** Close codes no endpoint may send (RFC 6455 §7.4.1 and §7.4.2). */
    private static final int[] INVALID_CLOSE_CODES = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65_535};

    private static final List<Bad> LIMITS = List.of(
            new Bad("a message over maxMessageSize (three fragments of 200 bytes, " + MAX_MESSAGE + " allowed)",
                    CloseCodes.MESSAGE_TOO_BIG, raw -> concat(raw.frame(false, Opcode.BINARY, new byte[200]),
                            raw.frame(false, Opcode.CONTINUATION, new byte[200]),
                            raw.frame(true, Opcode.CONTINUATION, new byte[200]))),
            new Bad("a frame over maxFrameSize (300 bytes, " + MAX_FRAME + " allowed)", CloseCodes.MESSAGE_TOO_BIG,
                    raw -> raw.frame(true, Opcode.BINARY, new byte[300])),
            new Bad("a frame header declaring 2^40 bytes, before any of them", CloseCodes.MESSAGE_TOO_BIG,
                    raw -> new byte[] {(byte) 0x82, (byte) (0x80 | 127), 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4}),
            new Bad("more fragments than maxFragmentsPerMessage (" + (MAX_FRAGMENTS + 1) + ", " + MAX_FRAGMENTS
                    + " allowed)", CloseCodes.MESSAGE_TOO_BIG, Violations::tooManyFragments));

    private Violations() {
    }

    static List<Check> checks(ServerUnderTest server, WebSocketConfig config) {
        List<Bad> protocol = new ArrayList<>(PROTOCOL);
        for (int code : INVALID_CLOSE_CODES) {
            protocol.add(new Bad("close code " + code, CloseCodes.PROTOCOL_ERROR,
                    raw -> raw.frame(true, Opcode.CLOSE, OnTheWire.closePayload(code, new byte[0]))));
        }
        List<Check> checks = new ArrayList<>();
        for (Bad bad : protocol) {
            checks.add(Serving.check(server, "violations: " + bad.label + " gets " + bad.code, config, s -> refused(s, bad)));
        }
        WebSocketConfig limited = config.toBuilder().maxFrameSize(MAX_FRAME).maxMessageSize(MAX_MESSAGE)
                .maxFragmentsPerMessage(MAX_FRAGMENTS).build();
        for (Bad bad : LIMITS) {
            checks.add(Serving.check(server, "limits: " + bad.label + " gets " + bad.code, limited, s -> refused(s, bad)));
        }
        return checks;
    }

    private static void refused(Serving s, Bad bad) throws Exception {
        RawClient raw = s.upgraded();
        ContractHandler handler = s.handler();
        raw.send(bad.bytes.apply(raw));
        OnTheWire.closedWith(raw, bad.code);
        handler.expectClose(bad.code);
    }

    private static byte[] tooManyFragments(RawClient raw) {
        byte[][] frames = new byte[MAX_FRAGMENTS + 1][];
        frames[0] = raw.frame(false, Opcode.BINARY, X);
        for (int i = 1; i < frames.length; i++) {
            frames[i] = raw.frame(i == frames.length - 1, Opcode.CONTINUATION, X);
        }
        return concat(frames);
    }
}
