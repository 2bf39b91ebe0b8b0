package dev.weft.testing;

import dev.weft.api.Frame;
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

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kit run against a toy extension that keeps the contract, and against broken ones that it must catch. */
class ExtensionContractTest {

    /** An extension that changes nothing; its encoder claims to hold {@code held} bytes, and {@code heldAfterClose} once closed. */
    private record Identity(int rsv, long held, long heldAfterClose) implements ExtensionFactory {

        Identity() {
            this(0, 0, 0);
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
                private final ExtensionDecoder decoder = new ExtensionDecoder() {
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

    @Test
    void checksAreNamedAfterWhatTheyCheck() {
        List<String> names = ExtensionContract.of(new Identity()).sizes(5).checks().stream()
                .map(ExtensionContract.Check::name).toList();
        assertTrue(names.contains("round trip of 5 bytes: text and binary, whole and fragmented, both ways [as given]"),
                names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("limits: ")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("resources: released after an abort")), names.toString());
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
