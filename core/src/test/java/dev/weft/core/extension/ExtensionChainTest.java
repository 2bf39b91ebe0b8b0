package dev.weft.core.extension;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionDecoder;
import dev.weft.api.extension.ExtensionEncoder;
import dev.weft.api.extension.ExtensionParameters;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chain on its own: order, reserved bits, slices of pending output, held bytes, encoders for
 * broadcasts, and closing. Each probe extension appends a letter to every data payload it encodes
 * and removes it again when decoding, and writes what it did to a shared log.
 */
class ExtensionChainTest {

    private final List<String> log = new ArrayList<>();

    @Test
    void encodesInResponseOrderAndDecodesInReverse() {
        // "the order of extensions listed in the server's response [...] the first extension listed
        // operates on the data first" (RFC 6455 §9.1), so the receiver undoes them last to first.
        List<Extension> agreed = List.of(new Probe("a", Frame.RSV1), new Probe("b", Frame.RSV2));
        try (ExtensionChain chain = new ExtensionChain(agreed)) {
            Frame sent = chain.encode(Frame.text("x"));
            assertEquals("xab", text(sent));
            assertEquals(Frame.RSV1 | Frame.RSV2, sent.rsv());
            Frame received = chain.decode(sent);
            assertEquals("x", text(received));
            assertEquals(0, received.rsv());
            assertEquals(List.of("encode a", "encode b", "decode b", "decode a"), log);
        }
    }

    @Test
    void controlFramesPassEveryExtensionToo() {
        try (ExtensionChain chain = new ExtensionChain(List.of(new Probe("a", Frame.RSV1)))) {
            Frame ping = Frame.ping(ByteBuffer.wrap(new byte[] {1}));
            assertEquals(ping, chain.decode(chain.encode(ping)));
            assertEquals(List.of("encode a", "decode a"), log);
        }
    }

    @Test
    void combinesReservedBitsAndRefusesTwoClaimsOfOne() {
        ExtensionChain chain = new ExtensionChain(List.of(new Probe("a", Frame.RSV1), new Probe("c", Frame.RSV3)));
        assertEquals(Frame.RSV1 | Frame.RSV3, chain.rsv());
        assertEquals(List.of(ExtensionParameters.of("a"), ExtensionParameters.of("c")), chain.parameters());
        assertThrows(IllegalArgumentException.class,
                () -> new ExtensionChain(List.of(new Probe("a", Frame.RSV1), new Probe("b", Frame.RSV1))));
    }

    @Test
    void anEmptyChainChangesNothing() {
        ExtensionChain chain = new ExtensionChain(List.of());
        Frame frame = Frame.text("x");
        assertTrue(chain.isEmpty());
        assertEquals(0, chain.rsv());
        assertTrue(chain.encodesWithoutHistory());
        assertSame(frame, chain.encode(frame));
        assertSame(frame, chain.decode(frame));
        assertFalse(chain.hasPendingOutput());
        assertThrows(IllegalStateException.class, chain::decodePending);
    }

    @Test
    void handsPendingOutputThroughTheRestOfTheChainSliceBySlice() {
        // The slicing extension is listed second, so it decodes first, nearest the wire; each of its
        // slices must still pass the first extension, and nothing else may pass the slicer again.
        Probe outer = new Probe("a", Frame.RSV1);
        Probe slicer = new Probe("b", Frame.RSV2).slicing();
        try (ExtensionChain chain = new ExtensionChain(List.of(outer, slicer))) {
            List<Frame> slices = new ArrayList<>();
            slices.add(chain.decode(new Frame(true, Frame.RSV2, Opcode.TEXT, StandardCharsets.UTF_8.encode("xyzb"))));
            while (chain.hasPendingOutput()) {
                slices.add(chain.decodePending());
            }
            assertEquals(List.of("x", "y", "z"), slices.stream().map(ExtensionChainTest::text).toList());
            assertEquals(List.of(Opcode.TEXT, Opcode.CONTINUATION, Opcode.CONTINUATION),
                    slices.stream().map(Frame::opcode).toList());
            assertEquals(List.of(false, false, true), slices.stream().map(Frame::fin).toList());
            assertEquals(List.of(0, 0, 0), slices.stream().map(Frame::rsv).toList());
            assertEquals(List.of("decode b", "decode a", "pending b", "decode a", "pending b", "decode a"), log);
            assertThrows(IllegalStateException.class, chain::decodePending);
        }
    }

    @Test
    void pendingOutputOfTheExtensionNearestTheApplicationGoesStraightOut() {
        Probe slicer = new Probe("a", Frame.RSV1).slicing();
        try (ExtensionChain chain = new ExtensionChain(List.of(slicer, new Probe("b", Frame.RSV2)))) {
            Frame first = chain.decode(chain.encode(Frame.text("xy")));
            log.clear();
            assertEquals("x", text(first));
            assertTrue(chain.hasPendingOutput());
            assertEquals("y", text(chain.decodePending()));
            assertEquals(List.of("pending a"), log);
            assertFalse(chain.hasPendingOutput());
        }
    }

    @Test
    void sumsWhatEveryHalfHolds() {
        Probe a = new Probe("a", Frame.RSV1);
        Probe b = new Probe("b", Frame.RSV2);
        a.encoder.held = 1000;
        a.decoder.held = 200;
        b.decoder.held = 30;
        try (ExtensionChain chain = new ExtensionChain(List.of(a, b))) {
            assertEquals(1230, chain.heldBytes());
            b.encoder.held = 4;
            assertEquals(1234, chain.heldBytes(), "read afresh each time");
        }
    }

    @Test
    void newEncodersAreFreshAndIndependentAndClosedByTheCaller() {
        Probe a = new Probe("a", Frame.RSV1).withoutHistory();
        Probe b = new Probe("b", Frame.RSV2).withoutHistory();
        try (ExtensionChain chain = new ExtensionChain(List.of(a, b))) {
            assertTrue(chain.encodesWithoutHistory());
            ExtensionChain.Encoders encoders = chain.newEncoders();
            assertEquals("xab", text(encoders.encode(Frame.text("x"))));
            assertEquals(List.of("encode a'", "encode b'"), log, "only the new encoders were used");
            assertEquals(0, a.encoder.encoded + b.encoder.encoded);
            assertEquals(1, a.made.size());
            assertNotSame(a.encoder, a.made.get(0));
            assertEquals(0, a.made.get(0).closes);

            encoders.close();
            encoders.close();
            assertEquals(1, a.made.get(0).closes, "closed once");
            assertEquals(1, b.made.get(0).closes);
            assertEquals(0, a.closes + b.closes, "the connection's extensions stay open");
            assertEquals(0, a.encoder.closes + a.decoder.closes);
            assertEquals("xab", text(chain.encode(Frame.text("x"))), "and still work");
        }
    }

    @Test
    void newEncodersNeedEveryExtensionToEncodeWithoutHistory() {
        try (ExtensionChain chain = new ExtensionChain(List.of(new Probe("a", Frame.RSV1).withoutHistory(),
                new Probe("b", Frame.RSV2)))) {
            assertFalse(chain.encodesWithoutHistory());
            assertThrows(IllegalStateException.class, chain::newEncoders);
        }
    }

    @Test
    void newEncodersMadeBeforeOneFailsAreClosed() {
        Probe a = new Probe("a", Frame.RSV1).withoutHistory();
        Probe b = new Probe("b", Frame.RSV2).withoutHistory();
        b.failToMakeEncoder = true;
        try (ExtensionChain chain = new ExtensionChain(List.of(a, b))) {
            assertThrows(IllegalStateException.class, chain::newEncoders);
            assertEquals(1, a.made.get(0).closes);
        }
    }

    @Test
    void closesEveryExtensionOnceEvenWhenOneFails() {
        Probe a = new Probe("a", Frame.RSV1);
        Probe b = new Probe("b", Frame.RSV2);
        Probe c = new Probe("c", Frame.RSV3);
        b.encoder.failToClose = true;
        ExtensionChain chain = new ExtensionChain(List.of(a, b, c));
        chain.close();
        chain.close();
        assertEquals(List.of(1, 1, 1), List.of(a.closes, b.closes, c.closes));
        assertEquals(1, b.decoder.closes, "a half that fails to close does not keep the other open");
        assertEquals(List.of(1, 1), List.of(c.encoder.closes, c.decoder.closes));
    }

    private static String text(Frame frame) {
        return StandardCharsets.UTF_8.decode(frame.payload()).toString();
    }

    /**
     * A test extension named after a letter: its encoder appends the letter to data payloads and
     * sets its bit, its decoder checks and removes both. Made {@link #slicing()}, its decoder hands
     * back the output one byte per slice.
     */
    private final class Probe implements Extension {
        final String name;
        final int bit;
        final ProbeEncoder encoder;
        final ProbeDecoder decoder;
        final List<ProbeEncoder> made = new ArrayList<>();
        boolean withoutHistory;
        boolean failToMakeEncoder;
        int closes;

        Probe(String name, int bit) {
            this.name = name;
            this.bit = bit;
            this.encoder = new ProbeEncoder(name, bit);
            this.decoder = new ProbeDecoder(name, bit);
        }

        Probe slicing() {
            decoder.slicing = true;
            return this;
        }

        Probe withoutHistory() {
            withoutHistory = true;
            return this;
        }

        @Override
        public ExtensionParameters parameters() {
            return ExtensionParameters.of(name);
        }

        @Override
        public int rsv() {
            return bit;
        }

        @Override
        public ProbeEncoder encoder() {
            return encoder;
        }

        @Override
        public ProbeDecoder decoder() {
            return decoder;
        }

        @Override
        public boolean encodesWithoutHistory() {
            return withoutHistory;
        }

        @Override
        public ExtensionEncoder newEncoder() {
            if (failToMakeEncoder) {
                throw new IllegalStateException("no encoder today");
            }
            ProbeEncoder fresh = new ProbeEncoder(name + "'", bit);
            made.add(fresh);
            return fresh;
        }

        @Override
        public void close() {
            closes++;
            Extension.super.close();
        }
    }

    private final class ProbeEncoder implements ExtensionEncoder {
        final String name;
        final int bit;
        long held;
        int encoded;
        int closes;
        boolean failToClose;

        ProbeEncoder(String name, int bit) {
            this.name = name;
            this.bit = bit;
        }

        @Override
        public Frame encode(Frame frame) {
            log.add("encode " + name);
            encoded++;
            if (frame.opcode().isControl()) {
                return frame;
            }
            return new Frame(frame.fin(), frame.rsv() | bit, frame.opcode(),
                    StandardCharsets.UTF_8.encode(text(frame) + name.charAt(0)));
        }

        @Override
        public long heldBytes() {
            return held;
        }

        @Override
        public void close() {
            closes++;
            if (failToClose) {
                throw new IllegalStateException("cannot close");
            }
        }
    }

    private final class ProbeDecoder implements ExtensionDecoder {
        final String name;
        final int bit;
        long held;
        int closes;
        boolean slicing;
        /** While slicing: the frame whose output is being handed back, its output, and how much is out. */
        private Frame input;
        private String output;
        private int next;

        ProbeDecoder(String name, int bit) {
            this.name = name;
            this.bit = bit;
        }

        @Override
        public Frame decode(Frame frame) {
            log.add("decode " + name);
            if (frame.opcode().isControl() || (frame.rsv() & bit) == 0) {
                return frame;
            }
            String payload = text(frame);
            assertEquals(name.charAt(0), payload.charAt(payload.length() - 1), "decoded in the wrong order");
            String plain = payload.substring(0, payload.length() - 1);
            if (!slicing) {
                return new Frame(frame.fin(), frame.rsv() & ~bit, frame.opcode(), StandardCharsets.UTF_8.encode(plain));
            }
            input = frame;
            output = plain;
            next = 0;
            return slice(frame.opcode());
        }

        @Override
        public boolean hasPendingOutput() {
            return input != null;
        }

        @Override
        public Frame decodePending() {
            log.add("pending " + name);
            return slice(Opcode.CONTINUATION);
        }

        private Frame slice(Opcode opcode) {
            String piece = output.substring(next, next + 1);
            next++;
            boolean last = next == output.length();
            Frame slice = new Frame(last && input.fin(), input.rsv() & ~bit, opcode,
                    StandardCharsets.UTF_8.encode(piece));
            if (last) {
                input = null;
            }
            return slice;
        }

        @Override
        public long heldBytes() {
            return held;
        }

        @Override
        public void close() {
            closes++;
        }
    }
}
