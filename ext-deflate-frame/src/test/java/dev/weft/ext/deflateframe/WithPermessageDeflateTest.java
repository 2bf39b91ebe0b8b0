package dev.weft.ext.deflateframe;

import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.HandshakeResponse;
import dev.weft.core.extension.ExtensionHeader;
import dev.weft.core.extension.ExtensionNegotiator;
import dev.weft.ext.permessagedeflate.PerMessageDeflate;
import dev.weft.ext.zlib.Zlib;
import dev.weft.testing.InMemoryPair;
import dev.weft.testing.Recorder;
import dev.weft.testing.ScriptedPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-frame deflate next to permessage-deflate. All three names claim RSV1, so a connection agrees
 * at most one of them: a server that has them all takes the client's first acceptable offer and
 * passes over the rest (core's negotiator declines an extension whose RSV bits are taken), and a
 * client refuses a response that lists two.
 */
class WithPermessageDeflateTest {

    private static final ExtensionContext SERVER = new ExtensionContext(Role.SERVER, 1 << 20, 1 << 20);

    /** permessage-deflate and both per-frame names, in the order {@code order} gives ("pmd,df,wk"). */
    private static List<ExtensionFactory> factories(String order) {
        List<ExtensionFactory> list = new ArrayList<>();
        for (String f : order.split(",")) {
            list.add(switch (f.trim()) {
                case "pmd" -> new PerMessageDeflate();
                case "df" -> DeflateFrame.builder().build();
                case "wk" -> DeflateFrame.builder().name(DeflateFrame.WEBKIT_NAME).build();
                default -> throw new IllegalArgumentException(f);
            });
        }
        return list;
    }

    /** The {@code Sec-WebSocket-Extensions} a server with {@code server} answers a raw upgrade offering {@code offer}. */
    private static String answer(String offer, List<ExtensionFactory> server) {
        Recorder events = Recorder.recording();
        ScriptedPeer peer = ScriptedPeer.rawClient(events, WebSocketConfig.builder().extensions(server).build());
        peer.sendAscii("GET / HTTP/1.1\r\n"
                + "Host: 127.0.0.1:8080\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: " + offer + "\r\n"
                + "\r\n").flush();
        HandshakeResponse response = peer.takeResponse();
        assertEquals(101, response.status());
        String agreed = response.header("Sec-WebSocket-Extensions");
        peer.connection().close();
        peer.flush();
        return agreed == null ? "none" : agreed;
    }

    @ParameterizedTest(name = "offer \"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            permessage-deflate, deflate-frame                             | permessage-deflate
            deflate-frame, permessage-deflate                             | deflate-frame
            x-webkit-deflate-frame, permessage-deflate                    | x-webkit-deflate-frame
            permessage-deflate, x-webkit-deflate-frame, deflate-frame     | permessage-deflate
            x-webkit-deflate-frame, deflate-frame, permessage-deflate     | x-webkit-deflate-frame
            deflate-frame, x-webkit-deflate-frame                         | deflate-frame
            deflate-frame; max_window_bits=8, permessage-deflate          | permessage-deflate
            permessage-deflate; server_max_window_bits=8, deflate-frame   | deflate-frame
            deflate-frame; x_unknown, x-webkit-deflate-frame              | x-webkit-deflate-frame
            Deflate-Frame, permessage-deflate                             | permessage-deflate
            x-other, deflate-frame; no_context_takeover                   | deflate-frame
            """)
    void aServerWithAllThreeTakesTheClientsFirstAcceptableOfferOnly(String offer, String agreed) {
        // The server's own order does not matter: the client's order is its preference (RFC 6455 §9.1).
        assertEquals(agreed, answer(offer, factories("pmd, df, wk")));
        assertEquals(agreed, answer(offer, factories("wk, df, pmd")));
    }

    @ParameterizedTest(name = "client lists [{0}] -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            pmd, df     | permessage-deflate
            df, pmd     | deflate-frame
            wk, pmd, df | x-webkit-deflate-frame
            pmd, wk     | permessage-deflate
            df, wk      | deflate-frame
            wk, df      | x-webkit-deflate-frame
            """)
    void weftClientsOfferInTheOrderTheyListAndAgreeOnOne(String clientOrder, String agreed) {
        for (String serverOrder : List.of("pmd, df, wk", "df, wk, pmd")) {
            InMemoryPair pair = InMemoryPair.builder()
                    .serverConfig(WebSocketConfig.builder().extensions(factories(serverOrder)).build())
                    .clientConfig(WebSocketConfig.builder().extensions(factories(clientOrder)).build())
                    .connect(Recorder.echoing(), Recorder.recording());
            assertEquals(List.of(ExtensionParameters.of(agreed)), pair.client().extensions());
            assertEquals(List.of(ExtensionParameters.of(agreed)), pair.server().extensions());
            pair.client().close();
            pair.flush();
        }
    }

    @Test
    void theNegotiatorPassesOverTheSecondRsv1ExtensionAndLeaksNothing() {
        int before = Zlib.live();
        List<ExtensionParameters> offers = ExtensionHeader.parse(List.of("permessage-deflate, deflate-frame"));
        List<Extension> agreed = ExtensionNegotiator.accept(offers, factories("df, pmd"), SERVER);
        assertEquals(List.of("permessage-deflate"), agreed.stream().map(e -> e.parameters().name()).toList());
        ExtensionNegotiator.closeAll(agreed);
        assertEquals(before, Zlib.live());
    }

    @Test
    void aClientRefusesAResponseThatAgreesTwoRsv1Extensions() {
        List<ExtensionParameters> response = ExtensionHeader.parse(List.of("deflate-frame, permessage-deflate"));
        HandshakeException e = assertThrows(HandshakeException.class, () -> ExtensionNegotiator.accepted(response,
                factories("pmd, df"), new ExtensionContext(Role.CLIENT, 1 << 20, 1 << 20)));
        assertTrue(e.getMessage().contains("RSV1"), e.getMessage());
    }
}
