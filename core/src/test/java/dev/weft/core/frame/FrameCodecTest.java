package dev.weft.core.frame;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static dev.weft.testing.ScriptedPeer.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RFC 6455 §5.7 examples, byte-exact in both directions, and the frame codec around them. */
class FrameCodecTest {

    private static final int RFC_MASK_KEY = 0x37fa213d;
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

    // RFC 6455 §5.7, one vector per example.
    /** A single-frame unmasked text message containing "Hello". */
    static final String UNMASKED_HELLO = "81 05 48 65 6c 6c 6f";
    /** A single-frame masked text message containing "Hello". */
    static final String MASKED_HELLO = "81 85 37 fa 21 3d 7f 9f 4d 51 58";
    /** A fragmented unmasked text message: "Hel" then "lo". */
    static final String FRAGMENT_HEL = "01 03 48 65 6c";
    static final String FRAGMENT_LO = "80 02 6c 6f";
    /** An unmasked ping with "Hello". */
    static final String UNMASKED_PING = "89 05 48 65 6c 6c 6f";
    /** A masked pong with "Hello" (the answer to the ping above). */
    static final String MASKED_PONG = "8a 85 37 fa 21 3d 7f 9f 4d 51 58";
    /** The header of a 256-byte unmasked binary message: 16-bit length. */
    static final String BINARY_256_HEADER = "82 7e 01 00";
    /** The header of a 65536-byte unmasked binary message: 64-bit length. */
    static final String BINARY_64K_HEADER = "82 7f 00 00 00 00 00 01 00 00";

    @Test
    void decodesTheRfcExamplesAsAClient() {
        List<Frame> frames = decode(Role.CLIENT, hex(UNMASKED_HELLO + FRAGMENT_HEL + FRAGMENT_LO + UNMASKED_PING));
        assertEquals(List.of(
                new Frame(true, 0, Opcode.TEXT, ByteBuffer.wrap(HELLO)),
                new Frame(false, 0, Opcode.TEXT, ByteBuffer.wrap("Hel".getBytes(StandardCharsets.US_ASCII))),
                new Frame(true, 0, Opcode.CONTINUATION, ByteBuffer.wrap("lo".getBytes(StandardCharsets.US_ASCII))),
                new Frame(true, 0, Opcode.PING, ByteBuffer.wrap(HELLO))), frames);
    }

    @Test
    void decodesTheRfcMaskedExamplesAsAServer() {
        List<Frame> frames = decode(Role.SERVER, hex(MASKED_HELLO + MASKED_PONG));
        assertEquals(List.of(
                new Frame(true, 0, Opcode.TEXT, ByteBuffer.wrap(HELLO)),
                new Frame(true, 0, Opcode.PONG, ByteBuffer.wrap(HELLO))), frames);
    }

    @Test
    void encodesTheRfcExamplesAsAServer() {
        assertArrayEquals(hex(UNMASKED_HELLO), encode(Role.SERVER, true, Opcode.TEXT, HELLO));
        assertArrayEquals(hex(FRAGMENT_HEL), encode(Role.SERVER, false, Opcode.TEXT, "Hel".getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals(hex(FRAGMENT_LO), encode(Role.SERVER, true, Opcode.CONTINUATION, "lo".getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals(hex(UNMASKED_PING), encode(Role.SERVER, true, Opcode.PING, HELLO));
    }

    @Test
    void encodesTheRfcMaskedExamplesAsAClient() {
        assertArrayEquals(hex(MASKED_HELLO), encode(Role.CLIENT, true, Opcode.TEXT, HELLO));
        assertArrayEquals(hex(MASKED_PONG), encode(Role.CLIENT, true, Opcode.PONG, HELLO));
    }

    @Test
    void encodesAndDecodesThe256ByteAnd64KiBBinaryExamples() {
        for (int size : new int[] {256, 65536}) {
            byte[] payload = random(size, size);
            byte[] wire = encode(Role.SERVER, true, Opcode.BINARY, payload);
            byte[] header = hex(size == 256 ? BINARY_256_HEADER : BINARY_64K_HEADER);
            assertArrayEquals(header, java.util.Arrays.copyOf(wire, header.length));
            assertEquals(header.length + size, wire.length);
            assertEquals(List.of(new Frame(true, 0, Opcode.BINARY, ByteBuffer.wrap(payload))), decode(Role.CLIENT, wire));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 128, 65535, 65536, 70000})
    void payloadLengthsAtEveryBoundaryRoundTripInTheShortestForm(int size) {
        byte[] payload = random(size, 7);
        for (Role writer : Role.values()) {
            byte[] wire = encode(writer, true, Opcode.BINARY, payload);
            int headerLength = (size <= 125 ? 2 : size <= 65535 ? 4 : 10) + (writer == Role.CLIENT ? 4 : 0);
            assertEquals(headerLength + size, wire.length, "shortest length form for " + size);
            Role reader = writer == Role.CLIENT ? Role.SERVER : Role.CLIENT;
            assertEquals(List.of(new Frame(true, 0, Opcode.BINARY, ByteBuffer.wrap(payload))), decode(reader, wire));
        }
    }

    @Test
    void everySplitOfAMultiFrameStreamDecodesTheSame() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(hex(MASKED_HELLO));
        stream.writeBytes(encode(Role.CLIENT, false, Opcode.BINARY, random(300, 1)));
        stream.writeBytes(hex(MASKED_PONG));
        stream.writeBytes(encode(Role.CLIENT, true, Opcode.CONTINUATION, new byte[0]));
        stream.writeBytes(encode(Role.CLIENT, true, Opcode.BINARY, random(70000, 2)));
        byte[] wire = stream.toByteArray();
        List<Frame> whole = decode(Role.SERVER, wire);
        assertEquals(5, whole.size());
        // Two pieces, split at every byte.
        for (int i = 0; i <= wire.length; i += (i < 400 ? 1 : 97)) {
            assertEquals(whole, decodeChunks(Role.SERVER, wire, new int[] {i}), "split at " + i);
        }
        // One byte at a time.
        int[] everyByte = new int[wire.length];
        for (int i = 0; i < wire.length; i++) {
            everyByte[i] = i;
        }
        assertEquals(whole, decodeChunks(Role.SERVER, wire, everyByte));
        // Random splits.
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int[] cuts = random.ints(1 + random.nextInt(20), 0, wire.length).sorted().toArray();
            assertEquals(whole, decodeChunks(Role.SERVER, wire, cuts), "cuts " + java.util.Arrays.toString(cuts));
        }
    }

    @Test
    void aLargeFrameArrivesAsChunksWithoutBeingGathered() {
        byte[] wire = encode(Role.CLIENT, true, Opcode.BINARY, random(10_000, 3));
        RecordingListener listener = new RecordingListener();
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, 1 << 20);
        for (int i = 0; i < wire.length; i += 1000) {
            decoder.decode(ByteBuffer.wrap(wire, i, Math.min(1000, wire.length - i)).slice(), listener);
        }
        assertEquals(11, listener.payloadCalls, "one payload call per input chunk");
        assertEquals(1, listener.frames.size());
    }

    @Test
    void decodingStopsWhenTheListenerAsks() {
        byte[] wire = hex(UNMASKED_HELLO + UNMASKED_PING);
        ByteBuffer in = ByteBuffer.wrap(wire);
        RecordingListener first = new RecordingListener() {
            @Override
            public boolean onFrameEnd() {
                super.onFrameEnd();
                return false;
            }
        };
        new FrameDecoder(Role.CLIENT, 1000).decode(in, first);
        assertEquals(1, first.frames.size());
        assertEquals(7, in.remaining(), "the ping is left unread");
    }

    @Test
    void aFrameOverTheLimitFailsOnItsHeaderBeforeAnyPayload() {
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, 1000);
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> decoder.decode(ByteBuffer.wrap(hex("82 7e 03 e9")), new RecordingListener()));
        assertEquals(ProtocolViolation.FRAME_TOO_BIG, e.violation());
        assertEquals(1009, e.closeCode());
    }

    @Test
    void aLengthNotInItsShortestFormIsRefused() {
        assertViolation(ProtocolViolation.NON_MINIMAL_LENGTH, "82 7e 00 7d" + " 00".repeat(125));
        assertViolation(ProtocolViolation.NON_MINIMAL_LENGTH, "82 7f 00 00 00 00 00 00 ff ff");
        assertViolation(ProtocolViolation.NON_MINIMAL_LENGTH, "82 7f 00 00 00 00 00 00 00 00");
    }

    @Test
    void aSixtyFourBitLengthWithItsTopBitSetIsRefused() {
        assertViolation(ProtocolViolation.LENGTH_TOP_BIT_SET, "82 7f 80 00 00 00 00 00 00 00");
        assertViolation(ProtocolViolation.LENGTH_TOP_BIT_SET, "82 7f ff ff ff ff ff ff ff ff");
    }

    @Test
    void firstTwoBytesAreCheckedBeforeTheExtendedLengthArrives() {
        // An unmasked frame to a server, with a 64-bit length still to come: refused already.
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> new FrameDecoder(Role.SERVER, 1000).decode(ByteBuffer.wrap(hex("82 7f")), new RecordingListener()));
        assertEquals(ProtocolViolation.UNMASKED_CLIENT_FRAME, e.violation());
    }

    @Test
    void headerGridAgreesWithTheRules() {
        int[] lengths = {0, 1, 125, 126, 127, 65535, 65536};
        int cases = 0;
        for (Role reader : Role.values()) {
            for (int allowed : new int[] {0, Frame.RSV1}) {
                for (boolean fin : new boolean[] {true, false}) {
                    for (int rsv = 0; rsv <= Frame.RSV_MASK; rsv += Frame.RSV3) {
                        for (int op = 0; op < 16; op++) {
                            for (int length : lengths) {
                                for (boolean masked : new boolean[] {true, false}) {
                                    checkHeader(reader, allowed, fin, rsv, op, length, masked);
                                    cases++;
                                }
                            }
                        }
                    }
                }
            }
        }
        assertEquals(2 * 2 * 2 * 8 * 16 * 7 * 2, cases);
    }

    /** Decodes one frame header and compares the outcome with the rules, stated independently. */
    private static void checkHeader(Role reader, int allowed, boolean fin, int rsv, int op, int length, boolean masked) {
        ProtocolViolation expected = null;
        boolean control = op >= 8;
        if ((rsv & ~allowed) != 0) {
            expected = ProtocolViolation.RESERVED_BITS_NOT_NEGOTIATED;
        } else if (Opcode.fromCode(op) == null) {
            expected = ProtocolViolation.RESERVED_OPCODE;
        } else if (control && !fin) {
            expected = ProtocolViolation.FRAGMENTED_CONTROL_FRAME;
        } else if (control && length > 125) {
            expected = ProtocolViolation.CONTROL_FRAME_TOO_LONG;
        } else if (masked != (reader == Role.SERVER)) {
            expected = masked ? ProtocolViolation.MASKED_SERVER_FRAME : ProtocolViolation.UNMASKED_CLIENT_FRAME;
        }
        ByteBuffer wire = ByteBuffer.allocate(14 + length);
        wire.put((byte) ((fin ? 0x80 : 0) | rsv | op));
        int maskBit = masked ? 0x80 : 0;
        if (length <= 125) {
            wire.put((byte) (maskBit | length));
        } else if (length <= 65535) {
            wire.put((byte) (maskBit | 126)).putShort((short) length);
        } else {
            wire.put((byte) (maskBit | 127)).putLong(length);
        }
        if (masked) {
            wire.putInt(RFC_MASK_KEY);
        }
        wire.position(wire.position() + length).flip();
        FrameDecoder decoder = new FrameDecoder(reader, 1 << 20);
        decoder.allowRsv(allowed);
        RecordingListener listener = new RecordingListener();
        String label = reader + " allowed=" + allowed + " fin=" + fin + " rsv=" + rsv + " op=" + op + " len=" + length
                + " masked=" + masked;
        if (expected == null) {
            decoder.decode(wire, listener);
            assertEquals(1, listener.frames.size(), label);
            Frame f = listener.frames.get(0);
            assertEquals(fin, f.fin(), label);
            assertEquals(rsv, f.rsv(), label);
            assertEquals(op, f.opcode().code(), label);
            assertEquals(length, f.payloadLength(), label);
        } else {
            ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                    () -> decoder.decode(wire, listener), label);
            assertEquals(expected, e.violation(), label);
            assertEquals(1002, e.closeCode(), label);
            assertTrue(listener.frames.isEmpty(), label);
        }
    }

    @Test
    void clientKeysComeFromTheSourceAndDiffer() {
        MaskKeySource secure = MaskKeySource.secure();
        java.util.Set<Integer> keys = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            keys.add(secure.nextKey());
        }
        // 1000 draws from 2^32 values: a repeat would mean a broken source (odds ~1e-4).
        assertTrue(keys.size() >= 999, "keys repeat: " + keys.size());
    }

    private static void assertViolation(ProtocolViolation expected, String hexWire) {
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> new FrameDecoder(Role.CLIENT, Integer.MAX_VALUE).decode(ByteBuffer.wrap(hex(hexWire)),
                        new RecordingListener()));
        assertEquals(expected, e.violation());
    }

    static byte[] encode(Role writer, boolean fin, Opcode opcode, byte[] payload) {
        FrameEncoder encoder = new FrameEncoder(writer, () -> RFC_MASK_KEY);
        ByteBuffer body = ByteBuffer.wrap(payload);
        ByteBuffer head = encoder.encode(FrameEncoder.firstByte(fin, 0, opcode.code()), body);
        assertEquals(0, body.position(), "the payload is left untouched");
        ByteBuffer out = ByteBuffer.allocate(head.remaining() + (encoder.masks() ? 0 : body.remaining()));
        out.put(head);
        if (!encoder.masks()) {
            out.put(body);
        }
        return out.array();
    }

    static List<Frame> decode(Role reader, byte[] wire) {
        return decodeChunks(reader, wire, new int[0]);
    }

    private static List<Frame> decodeChunks(Role reader, byte[] wire, int[] cuts) {
        byte[] copy = wire.clone(); // unmasking works in place
        FrameDecoder decoder = new FrameDecoder(reader, 1 << 20);
        RecordingListener listener = new RecordingListener();
        int from = 0;
        for (int cut : cuts) {
            decoder.decode(ByteBuffer.wrap(copy, from, cut - from).slice(), listener);
            from = cut;
        }
        decoder.decode(ByteBuffer.wrap(copy, from, copy.length - from).slice(), listener);
        assertTrue(decoder.isAtFrameBoundary());
        return listener.frames;
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
