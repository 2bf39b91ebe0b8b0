package dev.weft.ext.zstd;

import dev.weft.testing.Recorder;
import com.github.luben.zstd.Zstd;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.core.extension.ExtensionHeader;
import dev.weft.core.extension.ExtensionNegotiator;
import dev.weft.testing.InMemoryPair;
import dev.weft.ext.permessagedeflate.PerMessageDeflate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Negotiation for both roles as tables of offers and responses, and side by side with permessage-deflate. */
class NegotiationTest {

    private static final ExtensionContext SERVER = new ExtensionContext(Role.SERVER, 1 << 20, 1 << 20);
    private static final ExtensionContext CLIENT = new ExtensionContext(Role.CLIENT, 1 << 20, 1 << 20);

    static ExtensionParameters element(String header) {
        List<ExtensionParameters> elements = ExtensionHeader.parse(List.of(header));
        assertEquals(1, elements.size(), header);
        return elements.get(0);
    }

    /** A factory from settings like {@code "server_no_context_takeover window=12"}; {@code default} for none. */
    static PerMessageZstd configured(String settings) {
        PerMessageZstd.Builder b = PerMessageZstd.builder()
                .clientNoContextTakeover(settings.contains("client_no_context_takeover"))
                .serverNoContextTakeover(settings.contains("server_no_context_takeover"));
        int window = settings.indexOf("window=");
        if (window >= 0) {
            b.maxWindowLog(Integer.parseInt(settings.substring(window + 7, window + 9)));
        }
        return b.build();
    }

    @ParameterizedTest(name = "[{0}] offer \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            window=20 | permessage-zstd; server_max_window_log=27                      | permessage-zstd; server_max_window_log=20; client_max_window_log=20
            window=12 | permessage-zstd                                                | permessage-zstd; client_max_window_log=12
            server_no_context_takeover client_no_context_takeover | permessage-zstd    | permessage-zstd; server_no_context_takeover; client_no_context_takeover
            """)
    void serverAnswersOrDeclinesAnOffer(String settings, String offer, String expected) {
        Optional<Extension> agreed = configured(settings).accept(element(offer), SERVER);
        assertEquals(expected, agreed.map(e -> e.parameters().toString()).orElse("declined"));
        agreed.ifPresent(Extension::close);
    }

    @ParameterizedTest(name = "[{0}] response \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            default                    | permessage-zstd                                            | agreed
            default                    | permessage-zstd; server_no_context_takeover                | agreed
            default                    | permessage-zstd; client_no_context_takeover                | agreed
            default                    | permessage-zstd; client_max_window_log=10                  | agreed
            default                    | permessage-zstd; client_max_window_log=27                  | agreed
            default                    | permessage-zstd; server_no_context_takeover; client_no_context_takeover; client_max_window_log=12 | agreed
            server_no_context_takeover | permessage-zstd; server_no_context_takeover                | agreed
            client_no_context_takeover | permessage-zstd                                            | agreed
            client_no_context_takeover | permessage-zstd; client_no_context_takeover                | agreed
            window=12                  | permessage-zstd; server_max_window_log=12                  | agreed
            window=12                  | permessage-zstd; server_max_window_log=10                  | agreed
            window=20                  | permessage-zstd; server_max_window_log=17                  | agreed
            server_no_context_takeover | permessage-zstd                                            | 1002
            window=12                  | permessage-zstd                                            | 1002
            window=12                  | permessage-zstd; server_max_window_log=13                  | 1002
            default                    | permessage-zstd; server_max_window_log=17                  | 1002
            default                    | permessage-zstd; server_max_window_log=12                  | 1002
            default                    | permessage-zstd; client_max_window_log                     | 1002
            default                    | permessage-zstd; client_max_window_log=9                   | 1002
            default                    | permessage-zstd; client_max_window_log=28                  | 1002
            default                    | permessage-zstd; client_max_window_log=09                  | 1002
            default                    | permessage-zstd; server_no_context_takeover=yes            | 1002
            default                    | permessage-zstd; client_no_context_takeover=1              | 1002
            default                    | permessage-zstd; server_no_context_takeover; server_no_context_takeover | 1002
            default                    | permessage-zstd; client_max_window_log=12; client_max_window_log=12     | 1002
            default                    | permessage-zstd; x_unknown=1                               | 1002
            default                    | permessage-zstd; client_max_window_bits=15                 | 1002
            """)
    void clientTakesOrRefusesAResponse(String settings, String response, String expected) {
        PerMessageZstd factory = configured(settings);
        if (expected.equals("agreed")) {
            try (Extension agreed = factory.accepted(element(response), CLIENT)) {
                assertEquals(element(response), agreed.parameters());
                assertEquals(dev.weft.api.Frame.RSV1, agreed.rsv());
            }
        } else {
            WebSocketException e = assertThrows(WebSocketException.class,
                    () -> factory.accepted(element(response), CLIENT));
            assertEquals(Integer.parseInt(expected), e.closeCode(), e.getMessage());
        }
    }

    @ParameterizedTest(name = "[{0}] offers \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            default                                               | permessage-zstd
            server_no_context_takeover                            | permessage-zstd; server_no_context_takeover
            client_no_context_takeover                            | permessage-zstd; client_no_context_takeover
            server_no_context_takeover client_no_context_takeover | permessage-zstd; server_no_context_takeover; client_no_context_takeover
            window=12                                             | permessage-zstd; server_max_window_log=12
            window=17                                             | permessage-zstd
            """)
    void clientOffers(String settings, String offer) {
        assertEquals(List.of(element(offer)), configured(settings).offers(CLIENT));
    }

    @ParameterizedTest(name = "client [{0}] offers, server [{1}] answers \"{2}\"")
    @CsvSource(delimiter = '|', textBlock = """
            default                                               | default                                               | permessage-zstd
            client_no_context_takeover                            | default                                               | permessage-zstd; client_no_context_takeover
            server_no_context_takeover                            | default                                               | permessage-zstd; server_no_context_takeover
            default                                               | server_no_context_takeover client_no_context_takeover | permessage-zstd; server_no_context_takeover; client_no_context_takeover
            window=12                                             | default                                               | permessage-zstd; server_max_window_log=12
            window=20                                             | default                                               | permessage-zstd; server_max_window_log=17
            window=20                                             | window=19                                             | permessage-zstd; server_max_window_log=19; client_max_window_log=19
            default                                               | window=11                                             | permessage-zstd; client_max_window_log=11
            """)
    void twoWeftEndsAgreeWhateverTheirSettings(String clientSettings, String serverSettings, String agreed) {
        InMemoryPair pair = InMemoryPair.builder()
                .clientConfig(WebSocketConfig.builder().extensions(List.of(configured(clientSettings))).build())
                .serverConfig(WebSocketConfig.builder().extensions(List.of(configured(serverSettings))).build())
                .connect(Recorder.echoing(), Recorder.recording());
        assertEquals(List.of(element(agreed)), pair.client().extensions());
        assertEquals(List.of(element(agreed)), pair.server().extensions());
        pair.client().close();
        pair.flush();
    }

    @ParameterizedTest(name = "offers \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            permessage-zstd, permessage-deflate                                   | permessage-zstd
            permessage-deflate, permessage-zstd                                   | permessage-deflate
            permessage-zstd; x_unknown, permessage-deflate                        | permessage-deflate
            permessage-deflate; server_max_window_bits=10, permessage-zstd        | permessage-zstd
            permessage-zstd; client_max_window_log=12, permessage-zstd, permessage-deflate | permessage-zstd
            permessage-deflate; x, permessage-zstd; x, permessage-deflate        | permessage-deflate
            permessage-zstd; x, permessage-deflate; x                             | none
            """)
    void withPermessageDeflateTheFirstAcceptableOfferWinsAndNeverBoth(String offers, String winner) {
        List<ExtensionParameters> offered = ExtensionHeader.parse(List.of(offers));
        for (List<ExtensionFactory> serverOrder : List.of(
                List.<ExtensionFactory>of(new PerMessageZstd(), new PerMessageDeflate()),
                List.<ExtensionFactory>of(new PerMessageDeflate(), new PerMessageZstd()))) {
            int before = NativeContexts.live();
            List<Extension> agreed = ExtensionNegotiator.accept(offered, serverOrder, SERVER);
            assertEquals(winner, agreed.isEmpty() ? "none" : agreed.get(0).parameters().name(), serverOrder.toString());
            assertTrue(agreed.size() <= 1, agreed.toString());
            ExtensionNegotiator.closeAll(agreed);
            assertEquals(before, NativeContexts.live());
        }
    }

    @Test
    void aWeftClientOfferingBothGetsWhicheverItListsFirst() {
        PerMessageZstd zstd = new PerMessageZstd();
        PerMessageDeflate deflate = new PerMessageDeflate();
        WebSocketConfig server = WebSocketConfig.builder().extensions(List.of(deflate, zstd)).build();
        for (List<ExtensionFactory> clientOrder : List.of(List.<ExtensionFactory>of(zstd, deflate),
                List.<ExtensionFactory>of(deflate, zstd))) {
            InMemoryPair pair = InMemoryPair.builder().serverConfig(server)
                    .clientConfig(WebSocketConfig.builder().extensions(clientOrder).build())
                    .connect(Recorder.echoing(), Recorder.recording());
            List<ExtensionParameters> expected = List.of(ExtensionParameters.of(clientOrder.get(0).name()));
            assertEquals(expected, pair.client().extensions());
            assertEquals(expected, pair.server().extensions());
            pair.client().close();
            pair.flush();
        }
    }

    @Test
    void aClientRefusesAResponseAgreeingToBoth() {
        List<ExtensionParameters> response = ExtensionHeader.parse(List.of("permessage-zstd, permessage-deflate"));
        int before = NativeContexts.live();
        HandshakeException e = assertThrows(HandshakeException.class, () -> ExtensionNegotiator.accepted(response,
                List.of(new PerMessageZstd(), new PerMessageDeflate()), CLIENT));
        assertTrue(e.getMessage().contains("RSV1"), e.getMessage());
        assertEquals(before, NativeContexts.live());
    }

    @Test
    void serviceLoaderFindsItAndDefaultConfigurationsAgreeOnOneCompressionExtension() {
        assertTrue(ExtensionFactory.installed().stream().anyMatch(f -> f instanceof PerMessageZstd));
        InMemoryPair pair = InMemoryPair.connect(Recorder.echoing(), Recorder.recording());
        // Both extensions are installed here; which one wins depends on discovery order, but only one does.
        assertEquals(1, pair.client().extensions().size(), pair.client().extensions().toString());
        assertEquals(pair.client().extensions(), pair.server().extensions());
        pair.client().close();
        pair.flush();
    }

    @Test
    void leftOutOfTheConfigurationItIsNeitherOfferedNorAccepted() {
        WebSocketConfig withoutZstd = WebSocketConfig.builder().extensions(List.of(new PerMessageDeflate())).build();
        WebSocketConfig onlyZstd = WebSocketConfig.builder().extensions(List.of(new PerMessageZstd())).build();
        InMemoryPair serverWithout = InMemoryPair.builder().serverConfig(withoutZstd).clientConfig(onlyZstd)
                .connect(Recorder.echoing(), Recorder.recording());
        assertEquals(List.of(), serverWithout.client().extensions());
        serverWithout.client().close();
        serverWithout.flush();
        InMemoryPair clientWithout = InMemoryPair.builder().serverConfig(onlyZstd)
                .clientConfig(WebSocketConfig.builder().extensions(List.of()).build())
                .connect(Recorder.echoing(), Recorder.recording());
        assertEquals(List.of(), clientWithout.server().extensions());
        clientWithout.client().close();
        clientWithout.flush();
    }

    @Test
    void builderRefusesOutOfRangeSettingsAndItsLevelsAreZstds() {
        assertEquals(Zstd.minCompressionLevel(), PerMessageZstd.MIN_COMPRESSION_LEVEL);
        assertEquals(Zstd.maxCompressionLevel(), PerMessageZstd.MAX_COMPRESSION_LEVEL);
        assertEquals(Zstd.defaultCompressionLevel(), PerMessageZstd.DEFAULT_COMPRESSION_LEVEL);
        PerMessageZstd.builder().compressionLevel(PerMessageZstd.MIN_COMPRESSION_LEVEL)
                .compressionLevel(PerMessageZstd.MAX_COMPRESSION_LEVEL).maxWindowLog(10).maxWindowLog(27).threshold(0);
        assertThrows(IllegalArgumentException.class,
                () -> PerMessageZstd.builder().compressionLevel(PerMessageZstd.MAX_COMPRESSION_LEVEL + 1));
        assertThrows(IllegalArgumentException.class,
                () -> PerMessageZstd.builder().compressionLevel(PerMessageZstd.MIN_COMPRESSION_LEVEL - 1));
        assertThrows(IllegalArgumentException.class, () -> PerMessageZstd.builder().threshold(-1));
        assertThrows(IllegalArgumentException.class, () -> PerMessageZstd.builder().maxWindowLog(9));
        assertThrows(IllegalArgumentException.class, () -> PerMessageZstd.builder().maxWindowLog(28));
    }
}
