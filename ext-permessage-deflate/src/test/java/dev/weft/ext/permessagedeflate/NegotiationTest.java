package dev.weft.ext.permessagedeflate;

import dev.weft.api.Frame;
import dev.weft.api.Role;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.extension.ExtensionHeader;
import dev.weft.core.extension.ExtensionNegotiator;
import dev.weft.testing.InMemoryPair;
import dev.weft.testing.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Negotiation (RFC 7692 §7.1) for both roles, as tables of offers and responses. */
class NegotiationTest {

    private static final ExtensionContext SERVER = new ExtensionContext(Role.SERVER, 1 << 20, 1 << 20);
    private static final ExtensionContext CLIENT = new ExtensionContext(Role.CLIENT, 1 << 20, 1 << 20);

    private static ExtensionParameters element(String header) {
        List<ExtensionParameters> elements = ExtensionHeader.parse(List.of(header));
        assertEquals(1, elements.size(), header);
        return elements.get(0);
    }

    private static PerMessageDeflate configured(String settings) {
        return PerMessageDeflate.builder()
                .clientNoContextTakeover(settings.contains("client_no_context_takeover"))
                .serverNoContextTakeover(settings.contains("server_no_context_takeover"))
                .build();
    }

    @ParameterizedTest(name = "[{0}] offer \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            server_no_context_takeover client_no_context_takeover | permessage-deflate | permessage-deflate; server_no_context_takeover; client_no_context_takeover
            """)
    void serverAnswersOrDeclinesAnOffer(String settings, String offer, String expected) {
        Optional<Extension> agreed = configured(settings).accept(element(offer), SERVER);
        assertEquals(expected, agreed.map(e -> e.parameters().toString()).orElse("declined"));
        agreed.ifPresent(Extension::close);
    }

    @ParameterizedTest(name = "[{0}] response \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            default                    | permessage-deflate                                      | agreed
            default                    | permessage-deflate; server_no_context_takeover          | agreed
            default                    | permessage-deflate; client_no_context_takeover          | agreed
            default                    | permessage-deflate; server_max_window_bits=8            | agreed
            default                    | permessage-deflate; server_max_window_bits=15           | agreed
            default                    | permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10 | agreed
            server_no_context_takeover | permessage-deflate; server_no_context_takeover          | agreed
            client_no_context_takeover | permessage-deflate                                      | agreed
            client_no_context_takeover | permessage-deflate; client_no_context_takeover          | agreed
            server_no_context_takeover | permessage-deflate                                      | 1002
            default                    | permessage-deflate; client_max_window_bits=15           | 1002
            default                    | permessage-deflate; client_max_window_bits=8            | 1002
            default                    | permessage-deflate; client_max_window_bits              | 1002
            default                    | permessage-deflate; server_max_window_bits              | 1002
            default                    | permessage-deflate; server_max_window_bits=16           | 1002
            default                    | permessage-deflate; server_max_window_bits=7            | 1002
            default                    | permessage-deflate; server_max_window_bits=09           | 1002
            default                    | permessage-deflate; server_no_context_takeover=yes      | 1002
            default                    | permessage-deflate; client_no_context_takeover=1        | 1002
            default                    | permessage-deflate; server_no_context_takeover; server_no_context_takeover | 1002
            default                    | permessage-deflate; server_max_window_bits=10; server_max_window_bits=10  | 1002
            default                    | permessage-deflate; x_unknown=1                         | 1002
            """)
    void clientTakesOrRefusesAResponse(String settings, String response, String expected) {
        PerMessageDeflate factory = configured(settings);
        if (expected.equals("agreed")) {
            try (Extension agreed = factory.accepted(element(response), CLIENT)) {
                assertEquals(element(response), agreed.parameters());
                assertEquals(Frame.RSV1, agreed.rsv());
            }
        } else {
            WebSocketException e = assertThrows(WebSocketException.class,
                    () -> factory.accepted(element(response), CLIENT));
            assertEquals(Integer.parseInt(expected), e.closeCode(), e.getMessage());
        }
    }

    @ParameterizedTest(name = "[{0}] offers \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            default                                               | permessage-deflate
            server_no_context_takeover                            | permessage-deflate; server_no_context_takeover
            client_no_context_takeover                            | permessage-deflate; client_no_context_takeover
            server_no_context_takeover client_no_context_takeover | permessage-deflate; server_no_context_takeover; client_no_context_takeover
            """)
    void clientOffers(String settings, String offer) {
        assertEquals(List.of(element(offer)), configured(settings).offers(CLIENT));
    }

    @Test
    void anOfferTheServerCannotHonourIsPassedOverForTheClientsNextOne() {
        List<ExtensionParameters> offers = ExtensionHeader.parse(List.of(
                "permessage-deflate; server_max_window_bits=8, permessage-deflate; client_max_window_bits"));
        List<Extension> agreed = ExtensionNegotiator.accept(offers, List.of(new PerMessageDeflate()), SERVER);
        assertEquals(List.of(element("permessage-deflate")), agreed.stream().map(Extension::parameters).toList());
        ExtensionNegotiator.closeAll(agreed);
    }

    @ParameterizedTest(name = "client settings [{0}], response \"{1}\": second Hello resets = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            default                    | permessage-deflate                             | false
            default                    | permessage-deflate; client_no_context_takeover | true
            default                    | permessage-deflate; server_no_context_takeover | false
            client_no_context_takeover | permessage-deflate                             | true
            """)
    void theClientKeepsItsCompressionContextUnlessTheAgreementSaysOtherwise(String settings, String response,
                                                                            boolean resets) {
        PerMessageDeflate factory = PerMessageDeflate.builder().threshold(0)
                .clientNoContextTakeover(settings.contains("client_no_context_takeover")).build();
        try (Extension agreed = factory.accepted(element(response), CLIENT)) {
            String first = hex(agreed.encoder().encode(Frame.text("Hello")));
            String second = hex(agreed.encoder().encode(Frame.text("Hello")));
            assertEquals("f248cdc9c90700", first);
            if (resets) {
                assertEquals(first, second);
            } else {
                assertEquals("f200110000", second);
            }
        }
    }

    @Test
    void theServerKeepsItsCompressionContextOnlyWithoutServerNoContextTakeover() {
        PerMessageDeflate factory = PerMessageDeflate.builder().threshold(0).build();
        try (Extension keeps = factory.accept(element("permessage-deflate"), SERVER).orElseThrow();
             Extension resets = factory.accept(element("permessage-deflate; server_no_context_takeover"), SERVER)
                     .orElseThrow()) {
            keeps.encoder().encode(Frame.text("Hello"));
            resets.encoder().encode(Frame.text("Hello"));
            assertEquals("f200110000", hex(keeps.encoder().encode(Frame.text("Hello"))));
            assertEquals("f248cdc9c90700", hex(resets.encoder().encode(Frame.text("Hello"))));
        }
    }

    @Test
    void serviceLoaderFindsItAndDefaultConfigurationsAgreeOnIt() {
        assertTrue(ExtensionFactory.installed().stream().anyMatch(f -> f instanceof PerMessageDeflate));
        InMemoryPair pair = InMemoryPair.connect(Recorder.recording(), Recorder.recording());
        assertEquals(List.of(element("permessage-deflate")), pair.client().extensions());
        assertEquals(List.of(element("permessage-deflate")), pair.server().extensions());
        pair.client().close();
        pair.flush();
    }

    @Test
    void builderRefusesOutOfRangeSettings() {
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().compressionLevel(10));
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().compressionLevel(-1));
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().threshold(-1));
    }

    private static String hex(Frame frame) {
        ByteBuffer p = frame.payload();
        byte[] b = new byte[p.remaining()];
        p.get(b);
        return HexFormat.of().formatHex(b);
    }
}
