package dev.weft.ext.deflateframe;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.test.Slices;
import dev.weft.testing.Recorder;
import dev.weft.testing.ScriptedPeer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.weft.core.test.RawDeflate.finished;
import static dev.weft.core.test.RawDeflate.flushed;
import static dev.weft.core.test.RawDeflate.joined;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frames whose DEFLATE data ends in a block with BFINAL set, as a compressor that finishes its
 * stream for every frame makes them, followed by further frames: with and without an extra 0x00
 * after the final block, with and without context takeover, in both roles. The streams are made by
 * the JDK's {@code Deflater} with {@code FINISH}, as zlib's {@code deflateRaw} makes them.
 */
class FinalBlockTest {

    private static final String LONG_TEXT = "the quick brown fox jumps over the lazy dog, again and again; ".repeat(3000);

    /**
     * One frame: its payload, whether it is compressed (RSV1), and, for the last frame of a message,
     * the message's text; {@code null} for the others.
     */
    private record Part(byte[] payload, boolean compressed, String message) {
    }

    /** The frames each test sends, in order: seven messages. */
    static List<Part> frames(boolean trailingZero) {
        byte[] zero = trailingZero ? new byte[] {0} : new byte[0];
        return List.of(
                new Part(joined(finished("Hello"), zero), true, "Hello"),
                // One stream per frame, in a message of three frames.
                new Part(joined(finished("Hello"), zero), true, null),
                new Part(joined(finished(", "), zero), true, null),
                new Part(joined(finished("world"), zero), true, "Hello, world"),
                // Two streams in one frame: the second starts where the first ends.
                new Part(joined(finished("Hello"), finished(" again"), zero), true, "Hello again"),
                // An ordinary frame, flushed and not finished, after the finished ones.
                new Part(flushed("Hello"), true, "Hello"),
                new Part(joined(finished(""), zero), true, ""),
                new Part(joined(finished(LONG_TEXT), zero), true, LONG_TEXT),
                // A finished stream, then an uncompressed frame of the same message.
                new Part(joined(finished("Hello"), zero), true, null),
                new Part("Hello".getBytes(StandardCharsets.US_ASCII), false, "HelloHello"));
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Role role : Role.values()) {
            for (boolean takeover : new boolean[] {true, false}) {
                for (boolean trailingZero : new boolean[] {false, true}) {
                    cases.add(Arguments.of(role, takeover, trailingZero));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} context takeover={1} trailing 0x00={2}")
    @MethodSource("cases")
    void finishedStreamsAndTheFramesAfterThemInflate(Role role, boolean takeover, boolean trailingZero) {
        ExtensionContext context = new ExtensionContext(role, 1 << 20, 1 << 20);
        DeflateFrame factory = DeflateFrame.builder().requestNoContextTakeover(!takeover).build();
        ExtensionParameters agreed = ExtensionParameters.of(DeflateFrame.NAME);
        try (Extension extension = role == Role.SERVER ? factory.accept(agreed, context).orElseThrow()
                : factory.accepted(agreed, context)) {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            boolean first = true;
            for (Part part : frames(trailingZero)) {
                Opcode opcode = first ? Opcode.TEXT : Opcode.CONTINUATION;
                boolean fin = part.message() != null;
                message.writeBytes(Slices.joined(extension, new Frame(fin, part.compressed() ? Frame.RSV1 : 0, opcode,
                        ByteBuffer.wrap(part.payload()))));
                first = fin;
                if (fin) {
                    assertEquals(part.message(), message.toString(StandardCharsets.UTF_8));
                    message.reset();
                }
            }
        }
    }

    @ParameterizedTest(name = "server, context takeover={0} trailing 0x00={1}")
    @MethodSource("wireCases")
    void aServerSessionTakesFinishedStreamsFromTheWire(boolean takeover, boolean trailingZero) {
        Recorder server = Recorder.recording();
        DeflateFrame deflate = DeflateFrame.builder().requestNoContextTakeover(!takeover).build();
        ScriptedPeer peer = ScriptedPeer.rawClient(server, WebSocketConfig.builder().extensions(List.of(deflate)).build());
        peer.sendAscii("GET / HTTP/1.1\r\n"
                + "Host: 127.0.0.1:8080\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: deflate-frame\r\n"
                + "\r\n").flush();
        String response = new String(peer.takeReceived(), StandardCharsets.US_ASCII);
        assertTrue(response.startsWith("HTTP/1.1 101"), response);
        assertTrue(response.contains("Sec-WebSocket-Extensions: deflate-frame"), response);
        List<String> expected = new ArrayList<>(List.of("open"));
        boolean first = true;
        for (Part part : frames(trailingZero)) {
            boolean fin = part.message() != null;
            int opcode = first ? Opcode.TEXT.code() : Opcode.CONTINUATION.code();
            peer.sendRawFrame((fin ? 0x80 : 0) | (part.compressed() ? Frame.RSV1 : 0) | opcode, part.payload());
            first = fin;
            if (fin) {
                expected.add(shortly("text:" + part.message()));
            }
        }
        peer.flush();
        assertEquals(expected, server.take().stream().map(FinalBlockTest::shortly).toList());
    }

    static Stream<Arguments> wireCases() {
        return Stream.of(Arguments.of(true, false), Arguments.of(true, true), Arguments.of(false, false),
                Arguments.of(false, true));
    }

    /** An event short enough for a failure message: a long text by its start, length and hash. */
    private static String shortly(String event) {
        return event.length() <= 80 ? event
                : event.substring(0, 40) + "... (" + event.length() + " chars, hash " + event.hashCode() + ")";
    }
}
