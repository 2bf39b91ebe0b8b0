package dev.weft.core.extension;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.api.Frame;
import dev.weft.api.Role;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.core.test.FuzzSeed;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target: {@link ExtensionHeader} fed arbitrary {@code Sec-WebSocket-Extensions} lines, and
 * {@link ExtensionNegotiator} given what they parse to, as a server's offers and as a client's
 * response.
 *
 * <p>Invariants: parsing fails only with {@link IllegalArgumentException}; what parses formats to
 * a value that parses back to the same elements (parse, format, parse round-trips) and formats the
 * same again; a server's negotiation never throws and agrees no name twice and no RSV bit twice,
 * and a client's fails only with a {@link HandshakeException}; every extension made is closed
 * exactly once, whoever closes it.
 */
public class ExtensionFuzzTest {

    @FuzzTest
    void parsesFormatsAndNegotiatesArbitraryHeaders(FuzzedDataProvider data) {
        String text = new String(data.consumeRemainingAsBytes(), StandardCharsets.ISO_8859_1);
        List<String> lines = Arrays.asList(text.split("\n", -1));
        List<ExtensionParameters> elements;
        try {
            elements = ExtensionHeader.parse(lines);
        } catch (IllegalArgumentException e) {
            return;
        }
        String formatted = ExtensionHeader.format(elements);
        List<ExtensionParameters> again = ExtensionHeader.parse(List.of(formatted));
        assertEquals(elements, again, "parse, format, parse changed the elements of " + formatted);
        assertEquals(formatted, ExtensionHeader.format(again));

        List<FakeExtensionFactory> factories = factories();
        List<ExtensionFactory> installed = List.copyOf(factories);
        List<Extension> agreed = ExtensionNegotiator.accept(elements, installed, context(Role.SERVER));
        checkAgreed(agreed);
        ExtensionNegotiator.closeAll(agreed);
        try {
            ExtensionNegotiator.closeAll(ExtensionNegotiator.accepted(elements, installed, context(Role.CLIENT)));
        } catch (HandshakeException e) {
            assertEquals(0, e.status());
        }
        for (FakeExtensionFactory f : factories) {
            for (FakeExtension e : f.made()) {
                assertEquals(1, e.closes(), e + " closed " + e.closes() + " times");
            }
        }
    }

    /** The seeds: the RFC 6455 §9.1 and RFC 7692 §7.1 examples, quoting, spacing and malformed values. */
    public static Map<String, FuzzSeed> seeds() {
        Map<String, FuzzSeed> seeds = new LinkedHashMap<>();
        seeds.put("rfc-6455-9.1-two-lines", seed("foo\nbar; baz=2"));
        seeds.put("rfc-7692-offers", seed("permessage-deflate; client_max_window_bits; server_max_window_bits=10, "
                + "permessage-deflate; client_max_window_bits"));
        seeds.put("quoted-values", seed("x-fake; p=\"1\"; q=\"a\\b\", x-three; r"));
        seeds.put("spaces-and-empty-elements", seed(" , x-fake ;\tp = 1 ,, x-other ,"));
        seeds.put("rsv-conflict", seed("x-other, x-fake, x-three, x-picky"));
        seeds.put("duplicate-names", seed("x-fake; a, x-fake; b"));
        seeds.put("unterminated-quote", seed("x-fake; p=\"1"));
        seeds.put("empty-quoted", seed("x-fake; p=\"\""));
        seeds.put("separator-in-name", seed("x/fake"));
        return seeds;
    }

    private static FuzzSeed seed(String header) {
        return new FuzzSeed().bytes(header.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void checkAgreed(List<Extension> agreed) {
        Set<String> names = new HashSet<>();
        int rsv = 0;
        for (Extension e : agreed) {
            assertTrue(names.add(e.parameters().name()), "agreed twice: " + e.parameters().name());
            assertEquals(0, rsv & e.rsv(), "an RSV bit agreed twice");
            rsv |= e.rsv();
        }
    }

    /**
     * New factories for each input, since they record what they make: two claim RSV2, one refuses
     * every response. (A factory that throws is logged with its stack trace, which would drown the
     * fuzzer's output; ExtensionNegotiatorTest covers it.)
     */
    private static List<FakeExtensionFactory> factories() {
        return List.of(new FakeExtensionFactory("x-fake", Frame.RSV2), new FakeExtensionFactory("x-other", Frame.RSV2),
                new FakeExtensionFactory("x-three", Frame.RSV3),
                new FakeExtensionFactory("x-picky", Frame.RSV1).refusingResponses());
    }

    private static ExtensionContext context(Role role) {
        return new ExtensionContext(role, 1 << 16, 1 << 20);
    }
}
