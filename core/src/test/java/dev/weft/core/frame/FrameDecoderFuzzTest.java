package dev.weft.core.frame;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.api.CloseCodes;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.core.test.FuzzInput;
import dev.weft.core.test.FuzzSeed;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.weft.testing.ScriptedPeer.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzz target: a {@link FrameDecoder} of either role fed arbitrary bytes in arbitrary chunks.
 *
 * <p>Invariants (docs/fuzzing.md):
 * <ul>
 * <li>each frame reaches the listener as one header, payload chunks that add up to the declared
 *     length, then one end, in that order;
 * <li>a header that reaches the listener obeys every frame-level rule: only the allowed RSV bits,
 *     a known opcode, control frames final and at most 125 bytes, at most the maximum frame size;
 * <li>the only exception is {@link ProtocolViolationException}, with close code 1002, or 1009 for
 *     a frame over the maximum size;
 * <li>{@code decode} consumes its whole input unless the listener asked it to stop, and picks up
 *     where it stopped;
 * <li>how the input is split changes nothing: the frames and the failure are those of decoding
 *     it in one piece.
 * </ul>
 */
public class FrameDecoderFuzzTest {

    @FuzzTest
    void decodesArbitraryBytesInArbitrarySplits(FuzzedDataProvider data) {
        Role role = data.consumeBoolean() ? Role.SERVER : Role.CLIENT;
        int allowedRsv = data.consumeInt(0, 7) << 4;
        int maxFrameSize = data.consumeInt(0, 0xFFFF);
        int stopEvery = data.consumeInt(0, 3);
        List<byte[]> chunks = FuzzInput.chunks(data);

        Outcome split = decode(role, allowedRsv, maxFrameSize, chunks, stopEvery);
        Outcome whole = decode(role, allowedRsv, maxFrameSize, List.of(FuzzInput.joined(chunks)), 0);
        assertEquals(whole, split, "the split changed the outcome");
    }

    /**
     * The committed seeds: the RFC 6455 §5.7 examples in both roles, whole and byte by byte, the
     * payload length boundaries, and one input for each frame-level violation.
     */
    public static Map<String, FuzzSeed> seeds() {
        Map<String, FuzzSeed> seeds = new LinkedHashMap<>();
        String rfcUnmasked = "81 05 48 65 6c 6c 6f" + "01 03 48 65 6c" + "80 02 6c 6f" + "89 05 48 65 6c 6c 6f";
        String rfcMasked = "81 85 37 fa 21 3d 7f 9f 4d 51 58" + "8a 85 37 fa 21 3d 7f 9f 4d 51 58";
        seeds.put("rfc-5.7-client-whole", seed(Role.CLIENT, 0, 0xFFFF, 0, hex(rfcUnmasked), 255));
        seeds.put("rfc-5.7-client-bytewise", seed(Role.CLIENT, 0, 0xFFFF, 1, hex(rfcUnmasked), 1));
        seeds.put("rfc-5.7-server-whole", seed(Role.SERVER, 0, 0xFFFF, 0, hex(rfcMasked), 255));
        seeds.put("rfc-5.7-server-split-3", seed(Role.SERVER, 0, 0xFFFF, 2, hex(rfcMasked), 3));
        byte[] binary256 = new byte[4 + 256];
        System.arraycopy(hex("82 7e 01 00"), 0, binary256, 0, 4);
        seeds.put("rfc-5.7-binary-256-client", seed(Role.CLIENT, 0, 0xFFFF, 0, binary256, 100));
        seeds.put("rfc-5.7-binary-64k-header-over-limit", seed(Role.CLIENT, 0, 0xFFFF, 0,
                hex("82 7f 00 00 00 00 00 01 00 00 ff"), 5));
        seeds.put("length-125-126-127", seed(Role.CLIENT, 0, 200, 0,
                join(frame(0x82, 125), frame(0x82, 126), frame(0x82, 127)), 64));
        seeds.put("rsv1-negotiated", seed(Role.CLIENT, 4, 0xFFFF, 0, hex("c1 05 f2 48 cd c9 c9 07 00"), 255));
        seeds.put("rsv1-not-negotiated", seed(Role.CLIENT, 0, 0xFFFF, 0, hex("c1 05 f2 48 cd c9 c9 07 00"), 255));
        seeds.put("reserved-opcode-3", seed(Role.CLIENT, 0, 0xFFFF, 0, hex("83 00"), 255));
        seeds.put("fragmented-ping", seed(Role.CLIENT, 0, 0xFFFF, 0, hex("09 00"), 255));
        seeds.put("control-126", seed(Role.CLIENT, 0, 0xFFFF, 0, hex("89 7e 00 7e"), 255));
        seeds.put("unmasked-to-server", seed(Role.SERVER, 0, 0xFFFF, 0, hex("81 05 48 65 6c 6c 6f"), 255));
        seeds.put("masked-to-client", seed(Role.CLIENT, 0, 0xFFFF, 0, hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"), 255));
        seeds.put("non-minimal-16", seed(Role.CLIENT, 0, 0xFFFF, 0, hex("82 7e 00 05 01 02 03 04 05"), 255));
        seeds.put("non-minimal-64", seed(Role.CLIENT, 0, 0xFFFF, 0, hex("82 7f 00 00 00 00 00 00 01 00"), 255));
        seeds.put("length-top-bit", seed(Role.CLIENT, 0, 0xFFFF, 0, hex("82 7f 80 00 00 00 00 00 00 01"), 255));
        seeds.put("masked-close-1000", seed(Role.SERVER, 0, 0xFFFF, 0, hex("88 82 37 fa 21 3d 34 12"), 1));
        return seeds;
    }

    private static FuzzSeed seed(Role role, int rsvBits, int maxFrameSize, int stopEvery, byte[] stream, int chunk) {
        return new FuzzSeed().bool(role == Role.SERVER).choice(rsvBits, 0, 7).choice(maxFrameSize, 0, 0xFFFF)
                .choice(stopEvery, 0, 3).chunks(stream, chunk);
    }

    /** An unmasked frame with this first byte and a payload of {@code length} zeros. */
    private static byte[] frame(int b0, int length) {
        ByteBuffer head = new FrameEncoder(Role.SERVER, null).encode(b0, ByteBuffer.allocate(length));
        byte[] out = new byte[head.remaining() + length];
        head.get(out, 0, head.remaining());
        return out;
    }

    private static byte[] join(byte[]... parts) {
        return FuzzInput.joined(List.of(parts));
    }

    /** What decoding some input led to. */
    private record Outcome(List<Frame> frames, ProtocolViolation violation) {
    }

    private static Outcome decode(Role role, int allowedRsv, int maxFrameSize, List<byte[]> chunks, int stopEvery) {
        FrameDecoder decoder = new FrameDecoder(role, maxFrameSize);
        decoder.allowRsv(allowedRsv);
        CheckingListener listener = new CheckingListener(allowedRsv, maxFrameSize, stopEvery);
        for (byte[] chunk : chunks) {
            ByteBuffer in = FuzzInput.offsetBuffer(chunk);
            try {
                while (in.hasRemaining()) {
                    listener.stopped = false;
                    decoder.decode(in, listener);
                    if (in.hasRemaining() && !listener.stopped) {
                        fail("decode left " + in.remaining() + " bytes unread without being asked to stop");
                    }
                }
            } catch (ProtocolViolationException e) {
                int code = e.closeCode();
                if (e.violation() == ProtocolViolation.FRAME_TOO_BIG) {
                    assertEquals(CloseCodes.MESSAGE_TOO_BIG, code);
                } else {
                    assertEquals(CloseCodes.PROTOCOL_ERROR, code, e.violation().name());
                }
                return new Outcome(listener.frames, e.violation());
            }
            if (listener.inFrame) {
                assertFalse(decoder.isAtFrameBoundary(), "at a frame boundary in the middle of a frame");
            }
        }
        return new Outcome(listener.frames, null);
    }

    /** Checks the listener contract as the decoder calls it, and keeps the frames. */
    private static final class CheckingListener implements FrameDecoder.Listener {

        private final int allowedRsv;
        private final int maxFrameSize;
        private final int stopEvery;
        final List<Frame> frames = new ArrayList<>();
        boolean inFrame;
        boolean stopped;
        private boolean fin;
        private int rsv;
        private Opcode opcode;
        private long declared;
        private final ByteArrayOutputStream payload = new ByteArrayOutputStream();

        CheckingListener(int allowedRsv, int maxFrameSize, int stopEvery) {
            this.allowedRsv = allowedRsv;
            this.maxFrameSize = maxFrameSize;
            this.stopEvery = stopEvery;
        }

        @Override
        public void onFrameHeader(boolean fin, int rsv, Opcode opcode, long payloadLength) {
            assertFalse(inFrame, "a header before the previous frame ended");
            assertEquals(0, rsv & ~allowedRsv, "RSV bits no extension claimed");
            assertTrue(payloadLength >= 0 && payloadLength <= maxFrameSize, "length " + payloadLength);
            if (opcode.isControl()) {
                assertTrue(fin, "a fragmented control frame");
                assertTrue(payloadLength <= 125, "a control frame of " + payloadLength + " bytes");
            }
            inFrame = true;
            this.fin = fin;
            this.rsv = rsv;
            this.opcode = opcode;
            this.declared = payloadLength;
            payload.reset();
        }

        @Override
        public void onFramePayload(ByteBuffer chunk) {
            assertTrue(inFrame, "payload outside a frame");
            int n = chunk.remaining();
            assertTrue(payload.size() + n <= declared, "more payload than declared");
            byte[] b = new byte[n];
            chunk.get(chunk.position(), b);
            payload.writeBytes(b);
        }

        @Override
        public boolean onFrameEnd() {
            assertTrue(inFrame, "an end outside a frame");
            assertEquals(declared, payload.size(), "payload length");
            inFrame = false;
            frames.add(new Frame(fin, rsv, opcode, ByteBuffer.wrap(payload.toByteArray())));
            stopped = stopEvery > 0 && frames.size() % stopEvery == 0;
            return !stopped;
        }
    }
}
