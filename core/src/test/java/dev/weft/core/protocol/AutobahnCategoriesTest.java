package dev.weft.core.protocol;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketConfig;
import dev.weft.testing.Recorder;
import dev.weft.testing.ScriptedPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.weft.testing.ScriptedPeer.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour the Autobahn|Testsuite checks, category by category, against a server session with
 * an echo handler, through the in-memory transport. Case ids follow the suite's; each case names
 * the frames the server must send back and the close code it must end with (-1: still open).
 *
 * <p>"Chopped" cases send their bytes in pieces, with every piece processed before the next is
 * sent, so failing fast (before the rest of the input arrives) is observable.
 */
class AutobahnCategoriesTest {

    private static final WebSocketConfig PLAIN = WebSocketConfig.builder().extensions(List.of()).build();
    private static final int NONE = -1;

    private static final int FIN = 0x80;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CONTINUATION = 0x0;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    private static final int RSV1 = 0x40;
    private static final int RSV2 = 0x20;
    private static final int RSV3 = 0x10;

    /** A scripted exchange: what the client sends, what the server must answer. */
    record Case(String id, Consumer<Script> send, List<Frame> expected, int closeCode) {
        @Override
        public String toString() {
            return id;
        }
    }

    /** What a case sends: frames, whole or in pieces. */
    static final class Script {
        private final ScriptedPeer peer;

        Script(ScriptedPeer peer) {
            this.peer = peer;
        }

        Script frame(int firstByte, byte[] payload) {
            peer.sendRawFrame(firstByte, payload);
            return this;
        }

        Script frame(int firstByte, String text) {
            return frame(firstByte, utf8(text));
        }

        /** Sends frames as one byte stream cut into pieces of {@code size}, each processed in turn. */
        Script chopped(int size, byte[]... frames) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] f : frames) {
                all.writeBytes(f);
            }
            byte[] bytes = all.toByteArray();
            for (int i = 0; i < bytes.length; i += size) {
                peer.sendRaw(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size))).flush();
            }
            return this;
        }

        /** Sends frames one by one, each processed before the next. */
        Script frameWise(byte[]... frames) {
            for (byte[] f : frames) {
                peer.sendRaw(f).flush();
            }
            return this;
        }

        byte[] bytes(int firstByte, byte[] payload) {
            return peer.frameBytes(firstByte, payload);
        }

        byte[] bytes(int firstByte, String text) {
            return bytes(firstByte, utf8(text));
        }

        void flush() {
            peer.flush();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"framing", "pingsAndPongs", "reservedBits", "opcodes", "fragmentation", "utf8", "closing", "limits"})
    void autobahnCase(Case c) {
        Recorder handler = Recorder.echoing();
        ScriptedPeer peer = ScriptedPeer.client(handler, PLAIN.toBuilder().maxMessageSize(1 << 20).build());
        c.send().accept(new Script(peer));
        peer.flush();
        List<Frame> got = peer.takeFrames();
        List<Frame> expected = new ArrayList<>(c.expected());
        if (c.closeCode() != NONE) {
            expected.add(closeFrame(c.closeCode()));
            // The close frame a failing server sends carries a reason; compare codes only.
            assertTrue(!got.isEmpty() && got.get(got.size() - 1).opcode() == Opcode.CLOSE, c.id() + ": no close frame: " + got);
            got.set(got.size() - 1, closeFrame(codeOf(got.get(got.size() - 1))));
            assertTrue(peer.sessionClosedTransport(), c.id() + ": the server closes TCP after its close frame");
        }
        assertEquals(summary(expected), summary(got), c.id());
        assertEquals(expected, got, c.id());
    }

    // ---------------------------------------------------------------- 1. framing

    static Stream<Case> framing() {
        List<Case> cases = new ArrayList<>();
        int[] sizes = {0, 125, 126, 127, 128, 65535, 65536};
        for (int i = 0; i < sizes.length; i++) {
            byte[] text = "*".repeat(sizes[i]).getBytes(StandardCharsets.US_ASCII);
            byte[] binary = new byte[sizes[i]];
            Arrays.fill(binary, (byte) 0xfe);
            cases.add(new Case("1.1." + (i + 1) + " text " + sizes[i], s -> s.frame(FIN | TEXT, text), List.of(frame(FIN | TEXT, text)), NONE));
            cases.add(new Case("1.2." + (i + 1) + " binary " + sizes[i], s -> s.frame(FIN | BINARY, binary), List.of(frame(FIN | BINARY, binary)), NONE));
        }
        byte[] big = "*".repeat(65536).getBytes(StandardCharsets.US_ASCII);
        cases.add(new Case("1.1.8 text 65536 in chops of 997", s -> s.chopped(997, s.bytes(FIN | TEXT, big)),
                List.of(frame(FIN | TEXT, big)), NONE));
        return cases.stream();
    }

    // ---------------------------------------------------------------- 2. pings and pongs

    static Stream<Case> pingsAndPongs() {
        byte[] binary = hex("00 ff fe fd fc fb 00 ff");
        byte[] max = new byte[125];
        Arrays.fill(max, (byte) 0xfe);
        byte[] tooLong = new byte[126];
        List<Frame> tenPongs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tenPongs.add(frame(FIN | PONG, "ping " + i));
        }
        return Stream.of(
                new Case("2.1 ping, no payload", s -> s.frame(FIN | PING, new byte[0]), List.of(frame(FIN | PONG, new byte[0])), NONE),
                new Case("2.2 ping, text payload", s -> s.frame(FIN | PING, "Hello, world!"), List.of(frame(FIN | PONG, "Hello, world!")), NONE),
                new Case("2.3 ping, binary payload", s -> s.frame(FIN | PING, binary), List.of(frame(FIN | PONG, binary)), NONE),
                new Case("2.4 ping, 125 bytes", s -> s.frame(FIN | PING, max), List.of(frame(FIN | PONG, max)), NONE),
                new Case("2.5 ping, 126 bytes", s -> s.frame(FIN | PING, tooLong), List.of(), 1002),
                new Case("2.6 ping, 125 bytes, octet-wise", s -> s.chopped(1, s.bytes(FIN | PING, max)), List.of(frame(FIN | PONG, max)), NONE),
                new Case("2.7 unsolicited pong", s -> s.frame(FIN | PONG, new byte[0]), List.of(), NONE),
                new Case("2.8 unsolicited pong with payload", s -> s.frame(FIN | PONG, "unsolicited"), List.of(), NONE),
                new Case("2.9 unsolicited pong, then ping", s -> s.frame(FIN | PONG, "unsolicited").frame(FIN | PING, "ping"),
                        List.of(frame(FIN | PONG, "ping")), NONE),
                // Ten pings arriving together: the first pong is in flight while the rest are read,
                // so only the latest of those is answered (RFC 6455 §5.5.3 allows it).
                new Case("2.10 ten pings at once", s -> {
                    for (int i = 0; i < 10; i++) {
                        s.frame(FIN | PING, "ping " + i);
                    }
                }, List.of(frame(FIN | PONG, "ping 0"), frame(FIN | PONG, "ping 9")), NONE),
                new Case("2.11 ten pings, one at a time", s -> {
                    for (int i = 0; i < 10; i++) {
                        s.frameWise(s.bytes(FIN | PING, "ping " + i));
                    }
                }, tenPongs, NONE));
    }

    // ---------------------------------------------------------------- 3. reserved bits

    static Stream<Case> reservedBits() {
        return Stream.of(
                new Case("3.1 text with RSV1", s -> s.frame(FIN | RSV1 | TEXT, "Hello"), List.of(), 1002),
                new Case("3.2 text, text with RSV2, ping", s -> s.frame(FIN | TEXT, "Hello").frame(FIN | RSV2 | TEXT, "Hello")
                        .frame(FIN | PING, "Hello"), List.of(frame(FIN | TEXT, "Hello")), 1002),
                new Case("3.3 as 3.2 with RSV1|RSV2, frame-wise", s -> s.frameWise(s.bytes(FIN | TEXT, "Hello"),
                        s.bytes(FIN | RSV1 | RSV2 | TEXT, "Hello"), s.bytes(FIN | PING, "Hello")), List.of(frame(FIN | TEXT, "Hello")), 1002),
                new Case("3.4 as 3.2 with RSV3, octet-wise", s -> s.chopped(1, s.bytes(FIN | TEXT, "Hello"),
                        s.bytes(FIN | RSV3 | TEXT, "Hello"), s.bytes(FIN | PING, "Hello")), List.of(frame(FIN | TEXT, "Hello")), 1002),
                new Case("3.5 binary with RSV1|RSV3", s -> s.frame(FIN | RSV1 | RSV3 | BINARY, new byte[] {1, 2}), List.of(), 1002),
                new Case("3.6 ping with RSV2|RSV3", s -> s.frame(FIN | RSV2 | RSV3 | PING, "Hello"), List.of(), 1002),
                new Case("3.7 close with all three", s -> s.frame(FIN | RSV1 | RSV2 | RSV3 | CLOSE, closePayload(1000, "")), List.of(), 1002));
    }

    // ---------------------------------------------------------------- 4. opcodes

    static Stream<Case> opcodes() {
        List<Case> cases = new ArrayList<>();
        int[] reserved = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15};
        for (int op : reserved) {
            String group = op < 8 ? "4.1" : "4.2";
            cases.add(new Case(group + " opcode " + op, s -> s.frame(FIN | op, "payload"), List.of(), 1002));
            cases.add(new Case(group + " text, opcode " + op + ", ping, frame-wise", s -> s.frameWise(s.bytes(FIN | TEXT, "Hello"),
                    s.bytes(FIN | op, "Hello"), s.bytes(FIN | PING, "Hello")), List.of(frame(FIN | TEXT, "Hello")), 1002));
            cases.add(new Case(group + " text, opcode " + op + ", ping, octet-wise", s -> s.chopped(1, s.bytes(FIN | TEXT, "Hello"),
                    s.bytes(FIN | op, "Hello"), s.bytes(FIN | PING, "Hello")), List.of(frame(FIN | TEXT, "Hello")), 1002));
        }
        return cases.stream();
    }

    // ---------------------------------------------------------------- 5. fragmentation

    static Stream<Case> fragmentation() {
        List<Frame> echo = List.of(frame(FIN | TEXT, "fragment1fragment2"));
        return Stream.of(
                new Case("5.1 ping in two fragments", s -> s.frame(PING, "fragment1").frame(FIN | CONTINUATION, "fragment2"), List.of(), 1002),
                new Case("5.2 pong in two fragments", s -> s.frame(PONG, "fragment1").frame(FIN | CONTINUATION, "fragment2"), List.of(), 1002),
                new Case("5.3 text in two fragments", s -> s.frame(TEXT, "fragment1").frame(FIN | CONTINUATION, "fragment2"), echo, NONE),
                new Case("5.5 text in two fragments, octet-wise", s -> s.chopped(1, s.bytes(TEXT, "fragment1"),
                        s.bytes(FIN | CONTINUATION, "fragment2")), echo, NONE),
                new Case("5.6 text in two fragments, a ping between", s -> s.frame(TEXT, "fragment1").frame(FIN | PING, "ping")
                        .frame(FIN | CONTINUATION, "fragment2"), List.of(frame(FIN | PONG, "ping"), echo.get(0)), NONE),
                new Case("5.8 as 5.6, octet-wise", s -> s.chopped(1, s.bytes(TEXT, "fragment1"), s.bytes(FIN | PING, "ping"),
                        s.bytes(FIN | CONTINUATION, "fragment2")), List.of(frame(FIN | PONG, "ping"), echo.get(0)), NONE),
                new Case("5.9 continuation (FIN) with nothing to continue, then text", s -> s.frame(FIN | CONTINUATION, "non-continuation")
                        .frame(FIN | TEXT, "Hello"), List.of(), 1002),
                new Case("5.11 as 5.9, octet-wise", s -> s.chopped(1, s.bytes(FIN | CONTINUATION, "non-continuation"),
                        s.bytes(FIN | TEXT, "Hello")), List.of(), 1002),
                new Case("5.12 continuation (no FIN) with nothing to continue", s -> s.frame(CONTINUATION, "non-continuation")
                        .frame(FIN | TEXT, "Hello"), List.of(), 1002),
                new Case("5.15 two fragments, then a continuation of nothing", s -> s.frame(TEXT, "fragment1")
                        .frame(FIN | CONTINUATION, "fragment2").frame(CONTINUATION, "fragment3").frame(FIN | TEXT, "fragment4"), echo, 1002),
                new Case("5.18 a new text message inside a fragmented one", s -> s.frame(TEXT, "fragment1").frame(FIN | TEXT, "fragment2"),
                        List.of(), 1002),
                new Case("5.x a new binary message inside a fragmented text one", s -> s.frame(TEXT, "fragment1")
                        .frame(BINARY, "fragment2"), List.of(), 1002),
                new Case("5.19 five fragments, two pings between, frame-wise", s -> s.frameWise(s.bytes(TEXT, "f1"),
                        s.bytes(CONTINUATION, "f2"), s.bytes(FIN | PING, "p1"), s.bytes(CONTINUATION, "f3"), s.bytes(CONTINUATION, "f4"),
                        s.bytes(FIN | PING, "p2"), s.bytes(FIN | CONTINUATION, "f5")),
                        List.of(frame(FIN | PONG, "p1"), frame(FIN | PONG, "p2"), frame(FIN | TEXT, "f1f2f3f4f5")), NONE),
                new Case("5.x empty fragments", s -> s.frame(TEXT, "").frame(CONTINUATION, "").frame(FIN | CONTINUATION, ""),
                        List.of(frame(FIN | TEXT, "")), NONE));
    }

    // ---------------------------------------------------------------- 6. UTF-8

    static Stream<Case> utf8() {
        List<Case> cases = new ArrayList<>();
        String valid = "Hello-µ@ßöäüàá-UTF-8!!";
        byte[] validBytes = utf8(valid);
        cases.add(new Case("6.1.1 empty text", s -> s.frame(FIN | TEXT, ""), List.of(frame(FIN | TEXT, "")), NONE));
        cases.add(new Case("6.1.3 empty first and last fragments", s -> s.frame(TEXT, "").frame(CONTINUATION, "middle frame payload")
                .frame(FIN | CONTINUATION, ""), List.of(frame(FIN | TEXT, "middle frame payload")), NONE));
        cases.add(new Case("6.2.1 valid UTF-8 in one frame", s -> s.frame(FIN | TEXT, valid), List.of(frame(FIN | TEXT, valid)), NONE));
        cases.add(new Case("6.2.3 valid UTF-8, one byte per fragment", s -> {
            for (int i = 0; i < validBytes.length; i++) {
                int op = (i == 0 ? TEXT : CONTINUATION) | (i == validBytes.length - 1 ? FIN : 0);
                s.frame(op, new byte[] {validBytes[i]});
            }
        }, List.of(frame(FIN | TEXT, valid)), NONE));
        cases.add(new Case("6.2.4 valid UTF-8 in one frame, octet-wise", s -> s.chopped(1, s.bytes(FIN | TEXT, valid)),
                List.of(frame(FIN | TEXT, valid)), NONE));

        byte[] kosmeSurrogate = hex("ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64");
        cases.add(new Case("6.3.1 invalid UTF-8 (a surrogate) in one frame", s -> s.frame(FIN | TEXT, kosmeSurrogate), List.of(), 1007));
        cases.add(new Case("6.3.2 invalid UTF-8, one byte per fragment", s -> {
            for (int i = 0; i < kosmeSurrogate.length; i++) {
                int op = (i == 0 ? TEXT : CONTINUATION) | (i == kosmeSurrogate.length - 1 ? FIN : 0);
                s.frame(op, new byte[] {kosmeSurrogate[i]});
            }
        }, List.of(), 1007));

        byte[][] valids = {hex("c2 80"), hex("df bf"), hex("e0 a0 80"), hex("ed 9f bf"), hex("ee 80 80"), hex("ef bf bf"),
                hex("f0 90 80 80"), hex("f4 8f bf bf"), hex("ef bb bf"), hex("7f")};
        for (byte[] v : valids) {
            cases.add(new Case("6.x valid " + hexOf(v), s -> s.frame(FIN | TEXT, v), List.of(frame(FIN | TEXT, v)), NONE));
        }
        byte[][] invalids = {hex("80"), hex("bf"), hex("c0 af"), hex("c1 bf"), hex("e0 80 af"), hex("e0 9f bf"), hex("f0 80 80 af"),
                hex("f0 8f bf bf"), hex("ed a0 80"), hex("ed bf bf"), hex("ed a0 80 ed b0 80"), hex("f4 90 80 80"), hex("f5 80 80 80"),
                hex("f8 88 80 80 80"), hex("fc 84 80 80 80 80"), hex("fe"), hex("ff"), hex("c2"), hex("e2 82"), hex("f0 9f 98"),
                hex("c2 41"), hex("e2 28 a1")};
        for (byte[] v : invalids) {
            cases.add(new Case("6.x invalid " + hexOf(v), s -> s.frame(FIN | TEXT, v), List.of(), 1007));
        }
        return cases.stream();
    }

    /** 6.4.x: invalid text must fail when its bad byte arrives, not when the message or frame ends. */
    @Test
    void autobahn6_4_1_failsOnTheFragmentWithTheBadByte() {
        ScriptedPeer peer = ScriptedPeer.client(Recorder.echoing(), PLAIN);
        peer.sendRawFrame(TEXT, utf8("κόσμε")).sendRawFrame(CONTINUATION, hex("f4 90 80 80")).flush();
        assertEquals(1007, peer.closeCode(), "closed before the final fragment was sent");
        assertTrue(peer.sessionClosedTransport());
        peer.sendRawFrame(FIN | CONTINUATION, utf8("edited")).flush();
        assertEquals(List.of(), peer.takeFrames(), "nothing more after the close");
    }

    @Test
    void autobahn6_4_3_failsInsideASingleFrameSentInChops() {
        ScriptedPeer peer = ScriptedPeer.client(Recorder.echoing(), PLAIN);
        byte[] payload = concat(utf8("κόσμε"), hex("f4 90 80 80"), utf8("edited"));
        byte[] wire = peer.frameBytes(FIN | TEXT, payload);
        int headerLength = wire.length - payload.length;
        int first = headerLength + utf8("κόσμε").length;
        peer.sendRaw(Arrays.copyOfRange(wire, 0, first)).flush();
        assertEquals(NONE, peer.closeCode(), "valid so far");
        peer.sendRaw(Arrays.copyOfRange(wire, first, first + 2)).flush(); // f4 90: bad at 90
        assertEquals(1007, peer.closeCode(), "closed before the frame was complete");
    }

    // ---------------------------------------------------------------- 7. closing

    static Stream<Case> closing() {
        List<Case> cases = new ArrayList<>();
        byte[] big = "*".repeat(256 * 1024).getBytes(StandardCharsets.US_ASCII);
        cases.add(new Case("7.1.1 text then close", s -> s.frame(FIN | TEXT, "Hello World!").frame(FIN | CLOSE, closePayload(1000, "")),
                List.of(frame(FIN | TEXT, "Hello World!")), 1000));
        cases.add(new Case("7.1.2 close twice", s -> s.frame(FIN | CLOSE, closePayload(1000, "")).frame(FIN | CLOSE, closePayload(1000, "")),
                List.of(), 1000));
        cases.add(new Case("7.1.3 ping after close", s -> s.frame(FIN | CLOSE, closePayload(1000, "")).frame(FIN | PING, "Hello"),
                List.of(), 1000));
        cases.add(new Case("7.1.4 text after close", s -> s.frame(FIN | CLOSE, closePayload(1000, "")).frame(FIN | TEXT, "Hello"),
                List.of(), 1000));
        cases.add(new Case("7.1.5 close inside a fragmented message", s -> s.frame(TEXT, "fragment1").frame(FIN | CLOSE, closePayload(1000, ""))
                .frame(FIN | CONTINUATION, "fragment2"), List.of(), 1000));
        cases.add(new Case("7.1.6 256 KiB text, close, ping", s -> s.frame(FIN | TEXT, big).frame(FIN | CLOSE, closePayload(1000, ""))
                .frame(FIN | PING, "Hello"), List.of(frame(FIN | TEXT, big)), 1000));
        cases.add(new Case("7.3.1 close without payload", s -> s.frame(FIN | CLOSE, new byte[0]), List.of(frame(FIN | CLOSE, new byte[0])), NONE));
        cases.add(new Case("7.3.2 close with a one-byte payload", s -> s.frame(FIN | CLOSE, new byte[] {0x03}), List.of(), 1002));
        cases.add(new Case("7.3.3 close 1000", s -> s.frame(FIN | CLOSE, closePayload(1000, "")), List.of(), 1000));
        cases.add(new Case("7.3.4 close 1000 with a reason", s -> s.frame(FIN | CLOSE, closePayload(1000, "Hello World!")), List.of(), 1000));
        cases.add(new Case("7.3.5 close 1000 with a 123-byte reason", s -> s.frame(FIN | CLOSE, closePayload(1000, "*".repeat(123))),
                List.of(), 1000));
        cases.add(new Case("7.3.6 close 1000 with a 124-byte reason", s -> s.frame(FIN | CLOSE, closePayload(1000, "*".repeat(124))),
                List.of(), 1002));
        cases.add(new Case("7.5.1 close with an invalid UTF-8 reason", s -> s.frame(FIN | CLOSE,
                concat(hex("03 e8"), hex("ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64"))), List.of(), 1007));
        int[] validCodes = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999};
        for (int code : validCodes) {
            cases.add(new Case("7.7 valid close code " + code, s -> s.frame(FIN | CLOSE, closePayload(code, "")), List.of(), code));
        }
        int[] invalidCodes = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535};
        for (int code : invalidCodes) {
            cases.add(new Case("7.9 invalid close code " + code, s -> s.frame(FIN | CLOSE, closePayload(code, "")), List.of(), 1002));
        }
        return cases.stream();
    }

    // ---------------------------------------------------------------- limits (Autobahn 9.x sizes, scaled down)

    static Stream<Case> limits() {
        byte[] mib = new byte[1 << 20];
        byte[] overMib = new byte[(1 << 20) + 1];
        byte[] half = new byte[1 << 19];
        return Stream.of(
                new Case("9.x binary of exactly the limit", s -> s.frame(FIN | BINARY, mib), List.of(frame(FIN | BINARY, mib)), NONE),
                new Case("9.x binary one byte over the limit", s -> s.frame(FIN | BINARY, overMib), List.of(), 1009),
                new Case("9.x fragmented binary over the limit", s -> s.frame(BINARY, half).frame(CONTINUATION, half)
                        .frame(FIN | CONTINUATION, new byte[1]), List.of(), 1009),
                new Case("9.x binary over the limit fails on its header", s -> s.chopped(4096, Arrays.copyOf(s.bytes(FIN | BINARY, overMib), 14)),
                        List.of(), 1009));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10})
    void aMessageInMoreFragmentsThanTheCapFailsWith1009(int cap) {
        ScriptedPeer peer = ScriptedPeer.client(Recorder.echoing(), PLAIN.toBuilder().maxFragmentsPerMessage(cap).build());
        peer.sendRawFrame(TEXT, new byte[0]);
        for (int i = 1; i < cap; i++) {
            peer.sendRawFrame(CONTINUATION, new byte[0]);
        }
        peer.flush();
        assertEquals(NONE, peer.closeCode(), cap + " fragments are allowed");
        peer.sendRawFrame(FIN | CONTINUATION, new byte[0]).flush();
        assertEquals(1009, peer.closeCode());
    }

    @Test
    void aFrameOverTheFrameLimitFailsWith1009() {
        ScriptedPeer peer = ScriptedPeer.client(Recorder.echoing(), PLAIN.toBuilder().maxFrameSize(1000).build());
        peer.sendRawFrame(FIN | BINARY, new byte[1001]).flush();
        assertEquals(1009, peer.closeCode());
    }

    // ---------------------------------------------------------------- helpers

    private static Frame frame(int firstByte, byte[] payload) {
        return new Frame((firstByte & FIN) != 0, firstByte & 0x70, Opcode.fromCode(firstByte & 0x0F), ByteBuffer.wrap(payload));
    }

    private static Frame frame(int firstByte, String text) {
        return frame(firstByte, utf8(text));
    }

    private static Frame closeFrame(int code) {
        return frame(FIN | CLOSE, closePayload(code, ""));
    }

    private static int codeOf(Frame close) {
        ByteBuffer p = close.payload();
        return p.remaining() >= 2 ? p.getShort() & 0xFFFF : 1005;
    }

    private static byte[] closePayload(int code, String reason) {
        return concat(new byte[] {(byte) (code >> 8), (byte) code}, utf8(reason));
    }

    private static List<String> summary(List<Frame> frames) {
        return frames.stream().map(f -> f.payloadLength() <= 16 ? f + " " + hexOf(bytesOf(f)) : f.toString()).toList();
    }

    private static byte[] bytesOf(Frame f) {
        byte[] b = new byte[f.payloadLength()];
        f.payload().get(b);
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String hexOf(byte[] b) {
        return java.util.HexFormat.ofDelimiter(" ").formatHex(b);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
