package dev.weft.ext.deflateframe;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionEncoder;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.extension.ExtensionHeader;
import dev.weft.ext.zlib.Compressor;
import dev.weft.ext.zlib.Zlib;
import dev.weft.testing.InMemoryPair;
import dev.weft.testing.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static dev.weft.testing.ScriptedPeer.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Negotiation of per-frame deflate under both names, for both roles, as tables of offers and
 * responses; which end compresses and decompresses with or without context takeover as a result;
 * and the factories {@code ServiceLoader} finds.
 */
class NegotiationTest {

    static final List<String> NAMES = List.of(DeflateFrame.NAME, DeflateFrame.WEBKIT_NAME);
    private static final ExtensionContext SERVER = new ExtensionContext(Role.SERVER, 1 << 20, 1 << 20);
    private static final ExtensionContext CLIENT = new ExtensionContext(Role.CLIENT, 1 << 20, 1 << 20);

    static ExtensionParameters element(String header) {
        List<ExtensionParameters> elements = ExtensionHeader.parse(List.of(header));
        assertEquals(1, elements.size(), header);
        return elements.get(0);
    }

    /** A factory for {@code name} with the settings {@code settings} names (or "default"). */
    private static DeflateFrame configured(String name, String settings) {
        return DeflateFrame.builder().name(name).threshold(0)
                .requestNoContextTakeover(settings.contains("request"))
                .noContextTakeover(settings.contains("own"))
                .build();
    }

    @ParameterizedTest(name = "[{0}] offer \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            default | NAME                                        | NAME
            default | NAME; no_context_takeover                   | NAME
            default | NAME; No_Context_Takeover                   | NAME
            default | NAME; max_window_bits=15                    | NAME
            default | NAME; max_window_bits="15"                  | NAME
            default | NAME; no_context_takeover; max_window_bits=15 | NAME
            request | NAME                                        | NAME; no_context_takeover
            request | NAME; no_context_takeover                   | NAME; no_context_takeover
            own     | NAME                                        | NAME
            default | NAME; max_window_bits=8                     | declined
            default | NAME; max_window_bits                       | declined
            default | NAME; max_window_bits=16                    | declined
            default | NAME; max_window_bits=7                     | declined
            default | NAME; max_window_bits=015                   | declined
            default | NAME; max_window_bits=0xf                   | declined
            default | NAME; max_window_bits=15; max_window_bits=15 | declined
            default | NAME; no_context_takeover=1                 | declined
            default | NAME; no_context_takeover; no_context_takeover | declined
            default | NAME; x_unknown                             | declined
            default | NAME; server_no_context_takeover            | declined
            default | NAME; client_max_window_bits                | declined
            """)
    void serverAnswersOrDeclinesAnOffer(String settings, String offer, String expected) {
        for (String name : NAMES) {
            Optional<Extension> agreed = configured(name, settings).accept(element(offer.replace("NAME", name)), SERVER);
            assertEquals(expected.replace("NAME", name), agreed.map(e -> e.parameters().toString()).orElse("declined"));
            agreed.ifPresent(e -> assertEquals(Frame.RSV1, e.rsv()));
            agreed.ifPresent(Extension::close);
        }
    }

    /**
     * A window below 15 bits is kept to on native zlib (JDK 22 and later with libz), as the server
     * asked of the client or the client of the server; without it, declined and refused.
     */
    @Test
    void aSmallerWindowIsHonouredExactlyWhereNativeZlibIs() {
        boolean nativeZlib = Runtime.version().feature() >= 22;
        assertEquals(nativeZlib, Zlib.nativeAvailable());
        for (String name : NAMES) {
            ExtensionParameters small = element(name + "; max_window_bits=12");
            Optional<Extension> agreed = configured(name, "default").accept(small, SERVER);
            assertEquals(nativeZlib, agreed.isPresent(), name);
            agreed.ifPresent(e -> assertEquals(Compressor.Path.NATIVE, ((FrameDeflater) e.encoder()).path()));
            agreed.ifPresent(Extension::close);
            if (nativeZlib) {
                try (Extension client = configured(name, "default").accepted(small, CLIENT)) {
                    assertEquals(Compressor.Path.NATIVE, ((FrameDeflater) client.encoder()).path());
                }
            } else {
                assertThrows(WebSocketException.class, () -> configured(name, "default").accepted(small, CLIENT));
            }
        }
    }

    @ParameterizedTest(name = "[{0}] response \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            default | NAME                                         | agreed
            default | NAME; no_context_takeover                    | agreed
            default | NAME; max_window_bits=15                     | agreed
            request | NAME                                         | agreed
            request | NAME; no_context_takeover                    | agreed
            default | NAME; max_window_bits=8                      | 1002
            default | NAME; max_window_bits                        | 1002
            default | NAME; max_window_bits=16                     | 1002
            default | NAME; max_window_bits=09                     | 1002
            default | NAME; max_window_bits=15; max_window_bits=15 | 1002
            default | NAME; no_context_takeover=yes                | 1002
            default | NAME; no_context_takeover; no_context_takeover | 1002
            default | NAME; x_unknown=1                            | 1002
            default | NAME; server_no_context_takeover             | 1002
            """)
    void clientTakesOrRefusesAResponse(String settings, String response, String expected) {
        for (String name : NAMES) {
            DeflateFrame factory = configured(name, settings);
            ExtensionParameters element = element(response.replace("NAME", name));
            if (expected.equals("agreed")) {
                try (Extension agreed = factory.accepted(element, CLIENT)) {
                    assertEquals(element, agreed.parameters());
                    assertEquals(Frame.RSV1, agreed.rsv());
                }
            } else {
                WebSocketException e = assertThrows(WebSocketException.class, () -> factory.accepted(element, CLIENT));
                assertEquals(Integer.parseInt(expected), e.closeCode(), e.getMessage());
            }
        }
    }

    @Test
    void clientsOfferOneElementUnderTheirName() {
        for (String name : NAMES) {
            assertEquals(List.of(element(name)), configured(name, "default").offers(CLIENT));
            assertEquals(List.of(element(name + "; no_context_takeover")), configured(name, "request").offers(CLIENT));
            assertEquals(List.of(element(name)), configured(name, "own").offers(CLIENT), "own resets are not announced");
            assertEquals(List.of(), DeflateFrame.builder().name(name).offer(false).build().offers(CLIENT));
        }
        List<ExtensionFactory> both = DeflateFrame.builder().name(DeflateFrame.WEBKIT_NAME).buildForBothNames();
        assertEquals(NAMES, both.stream().map(ExtensionFactory::name).toList());
        assertEquals(List.of(element("deflate-frame"), element("x-webkit-deflate-frame")),
                both.stream().flatMap(f -> f.offers(CLIENT).stream()).toList());
    }

    @Test
    void serviceLoaderFindsAFactoryForEachNameThatOffersAndAccepts() {
        List<ExtensionFactory> installed = ExtensionFactory.installed();
        ExtensionFactory plain = installed.stream().filter(f -> f instanceof DeflateFrame).findFirst().orElseThrow();
        ExtensionFactory webkit = installed.stream().filter(f -> f instanceof WebkitDeflateFrame).findFirst().orElseThrow();
        assertEquals(DeflateFrame.NAME, plain.name());
        assertEquals(DeflateFrame.WEBKIT_NAME, webkit.name());
        for (ExtensionFactory f : List.of(plain, webkit)) {
            assertEquals(List.of(element(f.name())), f.offers(CLIENT));
            try (Extension agreed = f.accept(element(f.name()), SERVER).orElseThrow()) {
                assertEquals(element(f.name()), agreed.parameters());
            }
            try (Extension agreed = f.accepted(element(f.name()), CLIENT)) {
                assertEquals(element(f.name()), agreed.parameters());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {DeflateFrame.NAME, DeflateFrame.WEBKIT_NAME})
    void aClientOfferingEitherNameAgreesWithADefaultServer(String name) {
        WebSocketConfig client = WebSocketConfig.builder()
                .extensions(List.of(DeflateFrame.builder().name(name).build())).build();
        InMemoryPair pair = InMemoryPair.builder().serverConfig(WebSocketConfig.defaults()).clientConfig(client)
                .connect(Recorder.recording(), Recorder.recording());
        assertEquals(List.of(element(name)), pair.client().extensions());
        assertEquals(List.of(element(name)), pair.server().extensions());
        pair.client().close();
        pair.flush();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {DeflateFrame.NAME, DeflateFrame.WEBKIT_NAME})
    void aServerListingBothNamesAnswersUnderTheNameOffered(String name) {
        WebSocketConfig server = WebSocketConfig.builder()
                .extensions(DeflateFrame.builder().requestNoContextTakeover(true).buildForBothNames()).build();
        WebSocketConfig client = WebSocketConfig.builder()
                .extensions(List.of(DeflateFrame.builder().name(name).build())).build();
        InMemoryPair pair = InMemoryPair.builder().serverConfig(server).clientConfig(client)
                .connect(Recorder.recording(), Recorder.recording());
        assertEquals(List.of(element(name + "; no_context_takeover")), pair.client().extensions());
        assertEquals(List.of(element(name + "; no_context_takeover")), pair.server().extensions());
        pair.client().close();
        pair.flush();
    }

    @Test
    void aDefaultClientOffersWhatIsInstalledAndAgreesOnOneName() {
        WebSocketConfig server = WebSocketConfig.builder()
                .extensions(DeflateFrame.builder().buildForBothNames()).build();
        InMemoryPair pair = InMemoryPair.builder().serverConfig(server).clientConfig(WebSocketConfig.defaults())
                .connect(Recorder.recording(), Recorder.recording());
        assertEquals(1, pair.client().extensions().size(), pair.client().extensions().toString());
        assertTrue(NAMES.contains(pair.client().extensions().get(0).name()), pair.client().extensions().toString());
        pair.client().close();
        pair.flush();
    }

    @ParameterizedTest(name = "[{0}] offer \"{1}\": second Hello resets = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            default | NAME                      | false
            default | NAME; no_context_takeover | true
            request | NAME                      | false
            own     | NAME                      | true
            """)
    void theServerCompressesWithoutContextWhenAskedOrConfigured(String settings, String offer, boolean resets) {
        for (String name : NAMES) {
            try (Extension agreed = configured(name, settings).accept(element(offer.replace("NAME", name)), SERVER)
                    .orElseThrow()) {
                assertCompressesHelloTwice(agreed, resets);
            }
        }
    }

    @ParameterizedTest(name = "[{0}] response \"{1}\": second Hello resets = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            default | NAME                      | false
            default | NAME; no_context_takeover | true
            request | NAME                      | false
            own     | NAME                      | true
            """)
    void theClientCompressesWithoutContextWhenAskedOrConfigured(String settings, String response, boolean resets) {
        for (String name : NAMES) {
            try (Extension agreed = configured(name, settings).accepted(element(response.replace("NAME", name)), CLIENT)) {
                assertCompressesHelloTwice(agreed, resets);
            }
        }
    }

    /** Compresses "Hello" twice: with context takeover the second refers back to the first. */
    private static void assertCompressesHelloTwice(Extension agreed, boolean resets) {
        assertEquals(resets, agreed.encodesWithoutHistory());
        assertEquals("f248cdc9c90700", hexOf(agreed.encoder().encode(Frame.text("Hello")).payload()));
        assertEquals(resets ? "f248cdc9c90700" : "f200110000", hexOf(agreed.encoder().encode(Frame.text("Hello")).payload()));
        if (resets) {
            try (ExtensionEncoder encoder = agreed.newEncoder()) {
                assertEquals("f248cdc9c90700", hexOf(encoder.encode(Frame.text("Hello")).payload()));
            }
        } else {
            assertThrows(UnsupportedOperationException.class, agreed::newEncoder);
        }
    }

    @Test
    void theInflaterForgetsEachFrameOnlyWhenThisEndAskedThePeerTo() {
        Frame first = new Frame(true, Frame.RSV1, Opcode.TEXT, ByteBuffer.wrap(hex("f2 48 cd c9 c9 07 00")));
        Frame second = new Frame(true, Frame.RSV1, Opcode.TEXT, ByteBuffer.wrap(hex("f2 00 11 00 00")));
        for (String name : NAMES) {
            try (Extension keeps = configured(name, "default").accept(element(name + "; no_context_takeover"), SERVER)
                    .orElseThrow();
                 Extension forgets = configured(name, "request").accept(element(name), SERVER).orElseThrow()) {
                assertEquals("Hello", text(keeps.decoder().decode(first)));
                assertEquals("Hello", text(keeps.decoder().decode(second)), "the second frame refers back to the first");
                assertEquals("Hello", text(forgets.decoder().decode(first)));
                WebSocketException e = assertThrows(WebSocketException.class, () -> forgets.decoder().decode(second));
                assertEquals(1007, e.closeCode(), "the client promised to compress each frame on its own");
            }
            try (Extension forgets = configured(name, "request").accepted(element(name), CLIENT)) {
                forgets.decoder().decode(first);
                assertEquals(1007, assertThrows(WebSocketException.class, () -> forgets.decoder().decode(second)).closeCode());
            }
        }
    }

    @Test
    void builderRefusesOutOfRangeSettings() {
        assertThrows(IllegalArgumentException.class, () -> DeflateFrame.builder().compressionLevel(10));
        assertThrows(IllegalArgumentException.class, () -> DeflateFrame.builder().compressionLevel(-1));
        assertThrows(IllegalArgumentException.class, () -> DeflateFrame.builder().threshold(-1));
        assertThrows(IllegalArgumentException.class, () -> DeflateFrame.builder().name("permessage-deflate"));
        assertThrows(IllegalArgumentException.class, () -> DeflateFrame.builder().name("Deflate-Frame"));
        assertFalse(DeflateFrame.builder().build().offers(CLIENT).isEmpty());
        assertTrue(DeflateFrame.builder().offer(false).build().offers(CLIENT).isEmpty());
        assertEquals(DeflateFrame.builder().build().offers(CLIENT), new DeflateFrame().offers(CLIENT));
    }

    private static String text(Frame frame) {
        return java.nio.charset.StandardCharsets.UTF_8.decode(frame.payload()).toString();
    }

    private static String hexOf(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
