package dev.weft.testing;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionDecoder;
import dev.weft.api.extension.ExtensionEncoder;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kit run against a toy extension that keeps the contract, and against broken ones that it must catch. */
class ExtensionContractTest {

    /**
     * An extension that changes nothing; its encoder claims to hold {@code held} bytes, and
     * {@code heldAfterClose} once closed. Its decoder returns each frame whole, or with {@code slice}
     * over 0 hands it back in slices of that many bytes; with {@code finOnEach}, every slice carries
     * the frame's fin, breaking the rule that only the last does.
     */
    private record Identity(int rsv, long held, long heldAfterClose, int slice, boolean finOnEach)
            implements ExtensionFactory {

        Identity() {
            this(0, 0, 0);
        }

        Identity(int rsv, long held, long heldAfterClose) {
            this(rsv, held, heldAfterClose, 0, false);
        }

        static Identity sliced(int slice, boolean finOnEach) {
            return new Identity(0, 0, 0, slice, finOnEach);
        }

        @Override
        public String name() {
            return "x-identity";
        }

        @Override
        public List<ExtensionParameters> offers(ExtensionContext context) {
            return List.of(ExtensionParameters.of(name()));
        }

        @Override
        public Optional<Extension> accept(ExtensionParameters offer, ExtensionContext context) {
            return offer.parameters().isEmpty() ? Optional.of(agreed()) : Optional.empty();
        }

        @Override
        public Extension accepted(ExtensionParameters response, ExtensionContext context) {
            if (!response.parameters().isEmpty()) {
                throw new WebSocketException(1002, "x-identity takes no parameters");
            }
            return agreed();
        }

        private Extension agreed() {
            ExtensionParameters parameters = ExtensionParameters.of(name());
            return new Extension() {
                private boolean closed;
                private final ExtensionEncoder encoder = new ExtensionEncoder() {
                    @Override
                    public Frame encode(Frame frame) {
                        return frame;
                    }

                    @Override
                    public long heldBytes() {
                        return closed ? heldAfterClose : held;
                    }

                    @Override
                    public void close() {
                        closed = true;
                    }
                };
                private final ExtensionDecoder decoder = slice > 0 ? new SlicingDecoder(slice, finOnEach)
                        : new ExtensionDecoder() {
                            @Override
                            public Frame decode(Frame frame) {
                                return frame;
                            }

                            @Override
                            public void close() {
                            }
                        };

                @Override
                public ExtensionParameters parameters() {
                    return parameters;
                }

                @Override
                public int rsv() {
                    return rsv;
                }

                @Override
                public ExtensionEncoder encoder() {
                    return encoder;
                }

                @Override
                public ExtensionDecoder decoder() {
                    return decoder;
                }
            };
        }
    }

    /** Hands back each frame's payload as it came, in slices of {@code slice} bytes. */
    private static final class SlicingDecoder implements ExtensionDecoder {
        private final int slice;
        private final boolean finOnEach;
        private Frame frame;
        private byte[] output;
        private int at;

        SlicingDecoder(int slice, boolean finOnEach) {
            this.slice = slice;
            this.finOnEach = finOnEach;
        }

        @Override
        public Frame decode(Frame frame) {
            this.frame = frame;
            output = new byte[frame.payloadLength()];
            frame.payload().get(output);
            at = 0;
            return next(frame.opcode());
        }

        @Override
        public boolean hasPendingOutput() {
            return at < output.length;
        }

        @Override
        public Frame decodePending() {
            return next(Opcode.CONTINUATION);
        }

        private Frame next(Opcode opcode) {
            int n = Math.min(slice, output.length - at);
            at += n;
            boolean fin = frame.fin() && (finOnEach || !hasPendingOutput());
            return new Frame(fin, frame.rsv(), opcode, ByteBuffer.wrap(output, at - n, n));
        }

        @Override
        public void close() {
        }
    }

    @TestFactory
    Stream<DynamicTest> anExtensionThatKeepsTheContractPassesEveryCheck() {
        return ExtensionContract.of(new Identity())
                .accepts("x-identity", "x-identity")
                .declines("x-identity; level=1")
                .acceptsAnswer("x-identity")
                .refusesAnswer("x-identity; level=1")
                .variant("claiming RSV3, holding 100 bytes until closed", new Identity(Frame.RSV3, 100, 0),
                        new Identity(Frame.RSV3, 100, 0))
                .sizes(0, 1, 126, 70_000)
                .checks().stream()
                .map(check -> DynamicTest.dynamicTest(check.name(), check::run));
    }

    @TestFactory
    Stream<DynamicTest> anExtensionThatSlicesItsOutputPassesEveryCheck() {
        return ExtensionContract.of(Identity.sliced(Slicing.MAX_SLICE, false))
                .slicesOutput()
                .sizes(0, 1, 65_536, 200_000)
                .checks().stream()
                .map(check -> DynamicTest.dynamicTest(check.name(), check::run));
    }

    @Test
    void aSliceOver64KiBFailsTheSlicingChecks() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> ExtensionContract.of(Identity.sliced(100 * 1024, false)).sizes().verify());
        assertEquals(2, e.getMessage().lines().filter(l -> l.contains("slicing: ")
                && l.contains("the message, slice 1: 102400 bytes, over the 65536 a slice may hold")).count(),
                e.getMessage());
    }

    @Test
    void finOnASliceBeforeTheLastFailsTheSlicingChecks() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> ExtensionContract.of(Identity.sliced(Slicing.MAX_SLICE, true)).sizes().verify());
        assertEquals(2, e.getMessage().lines().filter(l -> l.contains("slicing: ")
                && l.contains("the message, slice 1: fin true, but only the last slice carries the frame's fin")).count(),
                e.getMessage());
    }

    @Test
    void anOutputReturnedWholeFailsTheSlicingChecksOfAnExtensionThatSaysItSlices() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> ExtensionContract.of(new Identity()).slicesOutput().sizes().verify());
        assertEquals(2, e.getMessage().lines().filter(l -> l.contains("slicing: ")
                && l.matches(".*the message, slice 1 \\(the last\\): [0-9]{7} bytes, over the 65536 .*")).count(),
                e.getMessage());
    }

    @Test
    void checksAreNamedAfterWhatTheyCheck() {
        List<String> names = ExtensionContract.of(new Identity()).sizes(5).checks().stream()
                .map(Check::name).toList();
        assertTrue(names.contains("round trip of 5 bytes: text and binary, whole and fragmented, both ways [as given]"),
                names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("limits: ")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("resources: released after an abort")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("slicing: ") && n.endsWith("server to client [as given]")),
                names.toString());
    }

    @Test
    void anExtensionThatHoldsMemoryAfterCloseFailsTheResourceChecks() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> ExtensionContract.of(new Identity(0, 100, 100)).sizes(1).verify());
        assertTrue(e.getMessage().contains("resources: released after a close handshake [as given]: "), e.getMessage());
        assertTrue(e.getMessage().contains("still holds 100 bytes"), e.getMessage());
        assertEquals(3, e.getMessage().lines().filter(l -> l.contains("resources: ")).count(), e.getMessage());
    }

    @Test
    void aServerThatAcceptsWhatItShouldDeclineFailsTheNegotiationCheck() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> ExtensionContract.of(new Identity()).accepts("x-identity; level=1").sizes().verify());
        assertTrue(e.getMessage().contains("negotiation: the server accepts \"x-identity; level=1\": declined"),
                e.getMessage());
    }

    @Test
    void nativeResourcesThatOutliveTheConnectionFailTheResourceChecks() {
        int[] live = {0};
        AssertionError e = assertThrows(AssertionError.class, () -> ExtensionContract.of(new Identity())
                .liveResources(() -> live[0]++).sizes().verify());
        assertTrue(e.getMessage().contains("live resources went from"), e.getMessage());
    }
}
