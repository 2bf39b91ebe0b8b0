package dev.weft.core.extension;

import dev.weft.api.Frame;
import dev.weft.api.Role;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtensionNegotiatorTest {

    private static final ExtensionContext SERVER = new ExtensionContext(Role.SERVER, 1 << 20, 1 << 20);
    private static final ExtensionContext CLIENT = new ExtensionContext(Role.CLIENT, 1 << 20, 1 << 20);

    private static ExtensionParameters ext(String name) {
        return ExtensionParameters.of(name);
    }

    private static List<ExtensionParameters> parametersOf(List<Extension> extensions) {
        return extensions.stream().map(Extension::parameters).toList();
    }

    @Test
    void offersEveryFactorysOffersInFactoryOrder() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", Frame.RSV1)
                .offering(ext("foo").with("x", "1"), ext("foo"));
        FakeExtensionFactory bar = new FakeExtensionFactory("bar", Frame.RSV2);

        assertEquals(List.of(ext("foo").with("x", "1"), ext("foo"), ext("bar")),
                ExtensionNegotiator.offers(List.of(foo, bar), CLIENT));
    }

    @Test
    void serverFollowsTheClientsOrder() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", Frame.RSV1);
        FakeExtensionFactory bar = new FakeExtensionFactory("bar", Frame.RSV2);

        List<Extension> agreed = ExtensionNegotiator.accept(List.of(ext("bar"), ext("foo")), List.of(foo, bar), SERVER);

        assertEquals(List.of(ext("bar"), ext("foo")), parametersOf(agreed));
    }

    @Test
    void serverAgreesOnlyTheFirstAcceptedOfferOfAName() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", 0);

        List<Extension> agreed = ExtensionNegotiator.accept(
                List.of(ext("foo").with("a"), ext("foo").with("b")), List.of(foo), SERVER);

        assertEquals(List.of(ext("foo").with("a")), parametersOf(agreed));
        assertEquals(1, foo.made().size(), "the second offer is not even put to the factory");
    }

    @Test
    void serverTriesTheNextOfferOfANameAfterADeclinedOne() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", 0).acceptingOnly(offer -> !offer.has("unsupported"));

        List<Extension> agreed = ExtensionNegotiator.accept(
                List.of(ext("foo").with("unsupported"), ext("foo").with("b")), List.of(foo), SERVER);

        assertEquals(List.of(ext("foo").with("b")), parametersOf(agreed));
    }

    @Test
    void serverDeclinesAnExtensionWhoseRsvBitIsTakenAndClosesIt() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", Frame.RSV1);
        FakeExtensionFactory bar = new FakeExtensionFactory("bar", Frame.RSV1 | Frame.RSV2);
        FakeExtensionFactory baz = new FakeExtensionFactory("baz", Frame.RSV2);

        List<Extension> agreed = ExtensionNegotiator.accept(List.of(ext("foo"), ext("bar"), ext("baz")),
                List.of(foo, bar, baz), SERVER);

        assertEquals(List.of(ext("foo"), ext("baz")), parametersOf(agreed));
        assertEquals(1, bar.made().get(0).closes());
        assertEquals(0, foo.made().get(0).closes());
    }

    @Test
    void serverTreatsAThrowingFactoryAsDeclining() {
        FakeExtensionFactory broken = new FakeExtensionFactory("broken", Frame.RSV1).throwing();
        FakeExtensionFactory bar = new FakeExtensionFactory("bar", Frame.RSV1);

        List<Extension> agreed = ExtensionNegotiator.accept(List.of(ext("broken"), ext("bar")),
                List.of(broken, bar), SERVER);

        assertEquals(List.of(ext("bar")), parametersOf(agreed));
    }

    @Test
    void serverIgnoresUnknownNamesAndMatchesNamesExactly() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", 0);

        List<Extension> agreed = ExtensionNegotiator.accept(List.of(ext("unknown"), ext("Foo")), List.of(foo), SERVER);

        assertEquals(List.of(), agreed);
        assertEquals(List.of(), foo.made());
    }

    @Test
    void serverUsesTheFirstFactoryOfAName() {
        FakeExtensionFactory first = new FakeExtensionFactory("foo", 0);
        FakeExtensionFactory second = new FakeExtensionFactory("foo", 0);

        ExtensionNegotiator.accept(List.of(ext("foo")), List.of(first, second), SERVER);

        assertEquals(1, first.made().size());
        assertEquals(0, second.made().size());
    }

    @Test
    void clientMakesTheExtensionsTheServerAgreed() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", Frame.RSV1);
        FakeExtensionFactory bar = new FakeExtensionFactory("bar", Frame.RSV2);

        List<Extension> agreed = ExtensionNegotiator.accepted(List.of(ext("bar"), ext("foo").with("x", "1")),
                List.of(foo, bar), CLIENT);

        assertEquals(List.of(ext("bar"), ext("foo").with("x", "1")), parametersOf(agreed));
    }

    @Test
    void clientRefusesAnExtensionItDidNotOffer() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", Frame.RSV1);

        HandshakeException e = assertThrows(HandshakeException.class,
                () -> ExtensionNegotiator.accepted(List.of(ext("foo"), ext("bar")), List.of(foo), CLIENT));

        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("bar") && e.getMessage().contains("not offered"), e.getMessage());
        assertEquals(1, foo.made().get(0).closes());
    }

    @Test
    void clientRefusesAnExtensionListedTwice() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", 0);

        HandshakeException e = assertThrows(HandshakeException.class,
                () -> ExtensionNegotiator.accepted(List.of(ext("foo"), ext("foo")), List.of(foo), CLIENT));

        assertTrue(e.getMessage().contains("twice"), e.getMessage());
        assertEquals(1, foo.made().size());
        assertEquals(1, foo.made().get(0).closes());
    }

    @Test
    void clientRefusesExtensionsThatClaimTheSameRsvBit() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", Frame.RSV1);
        FakeExtensionFactory bar = new FakeExtensionFactory("bar", Frame.RSV1);

        HandshakeException e = assertThrows(HandshakeException.class,
                () -> ExtensionNegotiator.accepted(List.of(ext("foo"), ext("bar")), List.of(foo, bar), CLIENT));

        assertTrue(e.getMessage().contains("RSV1"), e.getMessage());
        assertEquals(1, foo.made().get(0).closes());
        assertEquals(1, bar.made().get(0).closes());
    }

    @Test
    void clientFailsWhenAFactoryRefusesTheServersParameters() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", Frame.RSV1);
        FakeExtensionFactory bar = new FakeExtensionFactory("bar", Frame.RSV2).refusingResponses();

        HandshakeException e = assertThrows(HandshakeException.class,
                () -> ExtensionNegotiator.accepted(List.of(ext("foo"), ext("bar").with("x")), List.of(foo, bar), CLIENT));

        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("bar") && e.getMessage().contains("unsupported parameters"), e.getMessage());
        assertEquals(1, foo.made().get(0).closes());
    }

    @Test
    void closeAllGoesOnPastAFailingClose() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", 0);
        List<Extension> made = List.of(throwingOnClose(), foo.accepted(ext("foo"), CLIENT));

        ExtensionNegotiator.closeAll(made);

        assertEquals(1, foo.made().get(0).closes());
    }

    private static Extension throwingOnClose() {
        return new FakeExtension(ext("x"), 0) {
            @Override
            public void close() {
                throw new IllegalStateException("close failed");
            }
        };
    }
}
