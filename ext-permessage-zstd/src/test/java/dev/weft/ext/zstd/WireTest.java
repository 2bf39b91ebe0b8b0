package dev.weft.ext.zstd;

import dev.weft.testing.Recorder;
import com.github.luben.zstd.EndDirective;
import dev.weft.api.Frame;
import dev.weft.api.WebSocketConfig;
import dev.weft.testing.ScriptedPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.weft.ext.zstd.Zstandard.concat;
import static dev.weft.ext.zstd.Zstandard.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * permessage-zstd on the wire: a server session with the extension facing a scripted client that
 * offers it in a hand-written upgrade request, so every byte each way is the test's choice. The
 * client's zstd data is made with zstd-jni directly.
 */
class WireTest {

    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);
    /** "Hello" as one whole zstd frame: single segment, content size 5, one raw block. */
    private static final String HELLO_FRAME = "28b52ffd 20 05 290000 48656c6c6f";

    private final Recorder server = Recorder.recording();
    private final int liveBefore = NativeContexts.live();
    private ScriptedPeer peer;

    /** Nothing left over: whatever the test did, ending the connection frees every context it made. */
    @AfterEach
    void endTheConnectionAndCheckNoContextIsLeft() {
        if (peer != null) {
            peer.connection().abort();
            peer.flush();
        }
        assertEquals(liveBefore, NativeContexts.live());
    }

    /** A server session with {@code zstd} that has agreed to the scripted client's {@code offer}. */
    private ScriptedPeer connect(PerMessageZstd zstd, String offer, int maxMessageSize) {
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of(zstd)).maxMessageSize(maxMessageSize)
                .build();
        peer = ScriptedPeer.rawClient(server, config);
        peer.sendAscii("GET / HTTP/1.1\r\n"
                + "Host: 127.0.0.1:8080\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: " + offer + "\r\n"
                + "\r\n").flush();
        String response = new String(peer.takeReceived(), StandardCharsets.US_ASCII);
        assertTrue(response.startsWith("HTTP/1.1 101"), response);
        assertTrue(response.contains("Sec-WebSocket-Extensions: permessage-zstd"), response);
        return peer;
    }

    private ScriptedPeer connect(PerMessageZstd zstd, String offer) {
        return connect(zstd, offer, WebSocketConfig.defaults().maxMessageSize());
    }

    private static PerMessageZstd compressingEverything() {
        return PerMessageZstd.builder().threshold(0).build();
    }

    // ------------------------------------------------------------------ what the server sends

    @Test
    void withoutContextTakeoverHelloIsOneWholeFrameWithRsv1() {
        connect(compressingEverything(), "permessage-zstd; server_no_context_takeover");
        peer.connection().sendText("Hello");
        peer.connection().sendText("Hello");
        peer.flush();
        // The same bytes twice: each message starts from an empty history and ends its frame.
        assertArrayEquals(hex("c1 0e" + HELLO_FRAME + "c1 0e" + HELLO_FRAME), peer.takeReceived());
    }

    @Test
    void withContextTakeoverTheFrameStaysOpenAndLaterMessagesReferBack() {
        connect(compressingEverything(), "permessage-zstd");
        String json = json(1);
        peer.connection().sendText(json);
        peer.connection().sendText(json);
        peer.flush();
        List<Frame> frames = peer.takeFrames();
        assertEquals(2, frames.size());
        byte[] first = bytes(frames.get(0).payload());
        byte[] second = bytes(frames.get(1).payload());
        assertTrue(frames.get(0).rsv1() && frames.get(1).rsv1());
        // The first starts the frame: its window is the default limit, and no content size is known.
        assertArrayEquals(hex("28b52ffd 00 38"), Arrays.copyOf(first, 6));
        // The second goes on with the same frame, and mostly points back at the first.
        assertTrue(second.length < first.length / 2, first.length + " then " + second.length);
        assertTrue(second[0] != (byte) 0x28, "no new frame header");
        assertArrayEquals((json + json).getBytes(StandardCharsets.UTF_8), Zstandard.decompress(concat(first, second)));
    }

    @Test
    void aMessageSentInPartsIsCompressedInPartsWithRsv1OnTheFirstOnly() {
        connect(compressingEverything(), "permessage-zstd; server_no_context_takeover");
        peer.connection().sendText("Hello", false);
        peer.connection().sendText(", world", false);
        peer.connection().sendText("", true);
        peer.flush();
        List<Frame> frames = peer.takeFrames();
        assertEquals(List.of("TEXT rsv1", "CONTINUATION", "CONTINUATION fin"),
                frames.stream().map(f -> f.opcode() + (f.fin() ? " fin" : "") + (f.rsv1() ? " rsv1" : "")).toList());
        byte[] joined = concat(bytes(frames.get(0).payload()), bytes(frames.get(1).payload()),
                bytes(frames.get(2).payload()));
        // Each part was flushed, so the first two carry all of their text; the last ends the frame.
        assertArrayEquals("Hello".getBytes(StandardCharsets.US_ASCII), Zstandard.decompress(bytes(frames.get(0).payload())));
        assertArrayEquals("Hello, world".getBytes(StandardCharsets.US_ASCII), Zstandard.decompress(joined));
    }

    @Test
    void messagesUnderTheThresholdAndControlFramesGoUncompressed() {
        connect(PerMessageZstd.builder().threshold(6).build(), "permessage-zstd");
        peer.connection().sendText("Hello");
        peer.connection().ping(ByteBuffer.wrap(hex("48 65 6c 6c 6f 21 21 21 21 21")));
        peer.connection().sendText("Hello!");
        peer.flush();
        List<Frame> frames = peer.takeFrames();
        assertEquals("Frame[TEXT fin, 5 bytes]", frames.get(0).toString());
        assertEquals("Frame[PING fin, 10 bytes]", frames.get(1).toString());
        assertTrue(frames.get(2).rsv1());
        assertArrayEquals("Hello!".getBytes(StandardCharsets.US_ASCII), Zstandard.decompress(bytes(frames.get(2).payload())));
    }

    // ------------------------------------------------------------------ what the server receives

    @Test
    void aWholeFrameInOneWebSocketFrame() {
        connect(new PerMessageZstd(), "permessage-zstd");
        peer.sendRawFrame(0xc1, hex(HELLO_FRAME)).flush();
        assertEquals(List.of("Hello"), server.takeMessages());
    }

    @Test
    void aWholeFrameSplitIntoTwoFragmentsAtEveryByte() {
        connect(new PerMessageZstd(), "permessage-zstd; client_no_context_takeover");
        byte[] frame = hex(HELLO_FRAME);
        for (int split = 0; split <= frame.length; split++) {
            peer.sendRawFrame(0x41, Arrays.copyOf(frame, split));
            peer.sendRawFrame(0x80, Arrays.copyOfRange(frame, split, frame.length));
        }
        peer.flush();
        assertEquals(frame.length + 1, server.takeMessages().stream().filter("Hello"::equals).count());
        assertEquals(List.of(), server.closeCodes());
    }

    @Test
    void aFrameHeaderInOneByteFragments() {
        connect(new PerMessageZstd(), "permessage-zstd");
        byte[] frame = hex(HELLO_FRAME);
        peer.sendRawFrame(0x41, new byte[0]);
        for (byte b : frame) {
            peer.sendRawFrame(0x00, new byte[] {b});
        }
        peer.sendRawFrame(0x80, new byte[0]).flush();
        assertEquals(List.of("Hello"), server.takeMessages());
    }

    @Test
    void withContextTakeoverMessagesGoOnWithOneFrameEndAnywhereAndMixWithPlainOnes() {
        connect(new PerMessageZstd(), "permessage-zstd");
        byte[] json = json(2).getBytes(StandardCharsets.UTF_8);
        try (Zstandard client = Zstandard.stream(17)) {
            peer.sendRawFrame(0xc1, client.compress(json, EndDirective.FLUSH));
            peer.sendRawFrame(0x81, HELLO);                                          // uncompressed, in between
            peer.sendRawFrame(0xc1, client.compress(json, EndDirective.FLUSH));      // refers back
            peer.sendRawFrame(0xc1, new byte[0]);                                    // an empty message
            peer.sendRawFrame(0xc1, client.compress(HELLO, EndDirective.END));       // ends the frame here
            peer.sendRawFrame(0xc1, client.compress(json, EndDirective.FLUSH));      // a new frame
            peer.sendRawFrame(0xc1, client.compress(new byte[0], EndDirective.END)); // only ends it
        }
        try (Zstandard checked = Zstandard.checksummed()) {
            peer.sendRawFrame(0xc2, checked.compress(HELLO, EndDirective.END));
        }
        peer.flush();
        String text = new String(json, StandardCharsets.UTF_8);
        List<Object> messages = server.takeMessages();
        assertEquals(List.of(text, "Hello", text, "", "Hello", text, ""), messages.subList(0, 7));
        assertArrayEquals(HELLO, (byte[]) messages.get(7));
        assertEquals(List.of(), server.closeCodes());
    }

    @Test
    void aLargerWindowIsTakenWhenTheServerAsksForIt() {
        connect(PerMessageZstd.builder().maxWindowLog(20).build(), "permessage-zstd");
        try (Zstandard client = Zstandard.stream(20)) {
            peer.sendRawFrame(0xc1, client.compress(HELLO, EndDirective.FLUSH)).flush();
        }
        assertEquals(List.of("Hello"), server.takeMessages());
    }

    static Stream<Arguments> violations() {
        byte[] hello = hex(HELLO_FRAME);
        byte[] flushed;
        byte[] wideWindow;
        try (Zstandard z = Zstandard.stream(17)) {
            flushed = z.compress(HELLO, EndDirective.FLUSH);
        }
        try (Zstandard z = Zstandard.stream(18)) {
            wideWindow = z.compress(HELLO, EndDirective.FLUSH);
        }
        byte[] corrupt = hello.clone();
        corrupt[6] = (byte) 0xff; // the block header: a reserved block type
        return Stream.of(
                Arguments.of("RSV1 on a continuation frame", "permessage-zstd",
                        List.of("41", "28b52ffd2005", "c0", "29000048656c6c6f"), 1002),
                Arguments.of("RSV1 on a continuation of an uncompressed message", "permessage-zstd",
                        List.of("01", "4865", "c0", "6c6c6f"), 1002),
                Arguments.of("RSV1 on a ping", "permessage-zstd", List.of("c9", "00"), 1002),
                Arguments.of("RSV1 on a close", "permessage-zstd", List.of("c8", "03e8"), 1002),
                Arguments.of("data that is not zstd", "permessage-zstd", List.of("c1", "ffffffff"), 1007),
                Arguments.of("a skippable frame", "permessage-zstd", List.of("c1", "502a4d18 00000000"), 1007),
                Arguments.of("a legacy frame", "permessage-zstd", List.of("c1", "27b52ffd 00 00"), 1007),
                Arguments.of("the reserved header bit", "permessage-zstd", List.of("c1", "28b52ffd 28 05 290000 48656c6c6f"), 1007),
                Arguments.of("a dictionary", "permessage-zstd", List.of("c1", "28b52ffd 21 07 05 290000 48656c6c6f"), 1007),
                Arguments.of("a corrupt block", "permessage-zstd", List.of("c1", HexFormatted.of(corrupt)), 1007),
                Arguments.of("a second frame in the same message", "permessage-zstd",
                        List.of("c1", HexFormatted.of(concat(hello, hello))), 1007),
                Arguments.of("a second frame in a later fragment of the message", "permessage-zstd",
                        List.of("41", HexFormatted.of(hello), "80", HexFormatted.of(hello)), 1007),
                Arguments.of("a message that ends inside a frame header", "permessage-zstd",
                        List.of("c1", "28b52f"), 1007),
                Arguments.of("a frame that ends early", "permessage-zstd; client_no_context_takeover",
                        List.of("c1", HexFormatted.of(Arrays.copyOf(hello, hello.length - 1))), 1007),
                Arguments.of("a flushed frame without context takeover", "permessage-zstd; client_no_context_takeover",
                        List.of("c1", HexFormatted.of(flushed)), 1007),
                Arguments.of("an empty message without context takeover", "permessage-zstd; client_no_context_takeover",
                        List.of("c1", ""), 1007),
                Arguments.of("a window of 2^18 where 2^17 was agreed", "permessage-zstd",
                        List.of("c1", HexFormatted.of(wideWindow)), 1002),
                Arguments.of("a window of 2^27 declared by the descriptor", "permessage-zstd",
                        List.of("c1", "28b52ffd 00 88 010000"), 1002),
                Arguments.of("a single segment whose size is over the window", "permessage-zstd",
                        List.of("c1", "28b52ffd a0 01000200 010000"), 1002));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void violationsFailTheConnection(String violation, String offer, List<String> frames, int closeCode) {
        connect(new PerMessageZstd(), offer);
        for (int i = 0; i < frames.size(); i += 2) {
            peer.sendRawFrame(Integer.parseInt(frames.get(i), 16), hex(frames.get(i + 1)));
        }
        peer.flush();
        assertEquals(closeCode, peer.closeCode());
        assertEquals(List.of(closeCode), server.closeCodes());
        assertEquals(List.of(), server.takeMessages());
    }

    @Test
    void aBombThatDeclaresItsSizeFailsWith1009() {
        byte[] bomb;
        try (Zstandard z = Zstandard.stream(17)) {
            // One piece of 64 MiB, ended: the header says how large it is.
            bomb = z.compress(new byte[64 << 20], EndDirective.END);
        }
        assertTrue(bomb.length < 16 * 1024, "the bomb is " + bomb.length + " bytes");
        connect(new PerMessageZstd(), "permessage-zstd; client_no_context_takeover", 1 << 20);
        peer.sendRawFrame(0xc2, bomb).flush();
        assertEquals(1009, peer.closeCode());
        assertEquals(List.of(1009), server.closeCodes());
    }

    @Test
    void aBombThatHidesItsSizeFailsWith1009() {
        byte[] bomb;
        try (Zstandard z = Zstandard.stream(17)) {
            bomb = z.zeros(256L << 20, EndDirective.FLUSH);
        }
        assertTrue(bomb.length < 64 * 1024, "the bomb is " + bomb.length + " bytes");
        connect(new PerMessageZstd(), "permessage-zstd", 1 << 20);
        peer.sendRawFrame(0xc2, bomb).flush();
        assertEquals(1009, peer.closeCode());
        assertEquals(List.of(1009), server.closeCodes());
    }

    /** About 2 KiB of JSON-like text, different for each {@code n}. */
    static String json(int n) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; s.length() < 2000; i++) {
            s.append("{\"id\":").append(n * 1000 + i).append(",\"name\":\"user").append(i)
                    .append("\",\"online\":").append(i % 3 == 0).append("},");
        }
        return s.append("{}]").toString();
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.get(b);
        return b;
    }

    /** Hex for the violation table, which lists payloads as hex strings. */
    private static final class HexFormatted {
        static String of(byte[] bytes) {
            return java.util.HexFormat.of().formatHex(bytes);
        }
    }
}
