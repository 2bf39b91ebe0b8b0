package dev.weft.ext.permessagedeflate;

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
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.weft.core.test.RawDeflate.finished;
import static dev.weft.core.test.RawDeflate.flushed;
import static dev.weft.core.test.RawDeflate.joined;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages whose DEFLATE data ends in a block with BFINAL set, as a compressor that finishes its
 * stream makes them ("implementors can choose to flush data using DEFLATE blocks with "BFINAL" set
 * to 1", RFC 7692 §7.2.3.4), followed by further messages: with and without the extra 0x00 the
 * RFC's example ends with, with and without context takeover, in both roles. The streams are made
 * by the JDK's {@code Deflater} with {@code FINISH}, as zlib's {@code deflateRaw} makes them.
 */
class FinalBlockTest {

    private static final String LONG_TEXT = "the quick brown fox jumps over the lazy dog, again and again; ".repeat(3000);

    /** One message as frames: the payload of each, first to last. */
    private record Message(String text, List<byte[]> fragments) {
    }

    /** The messages each test sends, in order, and what each must inflate to. */
    static List<Message> messages(boolean trailingZero) {
        byte[] zero = trailingZero ? new byte[] {0} : new byte[0];
        byte[] hello = joined(finished("Hello"), zero);
        byte[] longText = joined(finished(LONG_TEXT), zero);
        int middle = longText.length / 2;
        return List.of(
                new Message("Hello", List.of(hello)),
                new Message("Hello", List.of(hello)),
                // The stream ends in the middle of the message, and a second one follows it.
                new Message("Hello, world", List.of(joined(finished("Hello"), finished(", world"), zero))),
                // The stream ends with the first fragment; the tail comes with an empty last one.
                new Message("Hello", List.of(finished("Hello"), zero)),
                new Message("", List.of(joined(finished(""), zero))),
                // An ordinary message, flushed and not finished, after the finished ones.
                new Message("Hello again", List.of(flushed("Hello again"))),
                new Message(LONG_TEXT, List.of(Arrays.copyOf(longText, middle),
                        Arrays.copyOfRange(longText, middle, longText.length))),
                new Message("Hello", List.of(hello)));
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
    void finishedStreamsAndTheMessagesAfterThemInflate(Role role, boolean takeover, boolean trailingZero) {
        try (Extension agreed = agree(role, takeover)) {
            for (Message message : messages(trailingZero)) {
                assertEquals(message.text(), new String(decode(agreed, message), StandardCharsets.UTF_8));
            }
        }
    }

    @ParameterizedTest(name = "server, context takeover={0} trailing 0x00={1}")
    @MethodSource("wireCases")
    void aServerSessionTakesFinishedStreamsFromTheWire(boolean takeover, boolean trailingZero) {
        Recorder server = Recorder.recording();
        ScriptedPeer peer = ScriptedPeer.rawClient(server,
                WebSocketConfig.builder().extensions(List.of(new PerMessageDeflate())).build());
        peer.sendAscii("GET / HTTP/1.1\r\n"
                + "Host: 127.0.0.1:8080\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate" + (takeover ? "" : "; client_no_context_takeover")
                + "\r\n\r\n").flush();
        String response = new String(peer.takeReceived(), StandardCharsets.US_ASCII);
        assertTrue(response.startsWith("HTTP/1.1 101"), response);
        List<String> expected = new ArrayList<>(List.of("open"));
        for (Message message : messages(trailingZero)) {
            List<byte[]> fragments = message.fragments();
            for (int i = 0; i < fragments.size(); i++) {
                int fin = i == fragments.size() - 1 ? 0x80 : 0;
                int first = i == 0 ? Frame.RSV1 | Opcode.TEXT.code() : Opcode.CONTINUATION.code();
                peer.sendRawFrame(fin | first, fragments.get(i));
            }
            expected.add(shortly("text:" + message.text()));
        }
        peer.flush();
        assertEquals(expected, server.take().stream().map(FinalBlockTest::shortly).toList());
    }

    /** An event short enough for a failure message: a long text by its start, length and hash. */
    private static String shortly(String event) {
        return event.length() <= 80 ? event
                : event.substring(0, 40) + "... (" + event.length() + " chars, hash " + event.hashCode() + ")";
    }

    static Stream<Arguments> wireCases() {
        return Stream.of(Arguments.of(true, false), Arguments.of(true, true), Arguments.of(false, false),
                Arguments.of(false, true));
    }

    /** The extension as agreed for {@code role}, the peer compressing with context takeover or not. */
    private static Extension agree(Role role, boolean takeover) {
        ExtensionContext context = new ExtensionContext(role, 1 << 20, 1 << 20);
        if (role == Role.SERVER) {
            ExtensionParameters offer = ExtensionParameters.of(PerMessageDeflate.NAME);
            return new PerMessageDeflate().accept(takeover ? offer : offer.with("client_no_context_takeover"), context)
                    .orElseThrow();
        }
        ExtensionParameters response = ExtensionParameters.of(PerMessageDeflate.NAME);
        return new PerMessageDeflate().accepted(takeover ? response : response.with("server_no_context_takeover"),
                context);
    }

    /** All the output of a message's frames, however many slices each came back in. */
    private static byte[] decode(Extension agreed, Message message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> fragments = message.fragments();
        for (int i = 0; i < fragments.size(); i++) {
            boolean fin = i == fragments.size() - 1;
            Frame frame = i == 0
                    ? new Frame(fin, Frame.RSV1, Opcode.TEXT, ByteBuffer.wrap(fragments.get(i)))
                    : new Frame(fin, 0, Opcode.CONTINUATION, ByteBuffer.wrap(fragments.get(i)));
            out.writeBytes(Slices.joined(agreed, frame));
        }
        return out.toByteArray();
    }
}
