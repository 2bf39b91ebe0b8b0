package dev.weft.ext.permessagedeflate;

import dev.weft.ext.zlib.Zlib;
import dev.weft.testing.ExtensionContract;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * The extension contract of weft-testing: negotiation (a default server's answers to offers, RFC 7692
 * §7.1), messages of every size class both ways, whole and in parts, with and without context
 * takeover each way, reserved bits, inflation bombs, resources released however a connection ends,
 * and large messages inflated in slices of at most 64 KiB.
 */
class ContractTest {

    private static final int[] SIZES = {0, 1, 63, 64, 125, 126, 65_535, 65_536, 1024 * 1024};

    @TestFactory
    Stream<DynamicTest> keepsTheExtensionContract() {
        ExtensionContract.Builder contract = ExtensionContract.of(new PerMessageDeflate()).slicesOutput().sizes(SIZES)
                .liveResources(Zlib::inUse)
                .accepts("permessage-deflate",
                        "permessage-deflate")
                .accepts("permessage-deflate; server_no_context_takeover",
                        "permessage-deflate; server_no_context_takeover")
                .accepts("permessage-deflate; client_no_context_takeover",
                        "permessage-deflate; client_no_context_takeover")
                .accepts("permessage-deflate; client_max_window_bits",
                        "permessage-deflate")
                .accepts("permessage-deflate; client_max_window_bits=8",
                        "permessage-deflate")
                .accepts("permessage-deflate; client_max_window_bits=15",
                        "permessage-deflate")
                .accepts("permessage-deflate; server_max_window_bits=15",
                        "permessage-deflate; server_max_window_bits=15")
                .accepts("permessage-deflate; server_max_window_bits=\"15\"",
                        "permessage-deflate; server_max_window_bits=15")
                .accepts("permessage-deflate; Server_No_Context_Takeover",
                        "permessage-deflate; server_no_context_takeover")
                .accepts("permessage-deflate; client_no_context_takeover; server_no_context_takeover; client_max_window_bits=12; server_max_window_bits=15",
                        "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15")
                .declines(
                        "permessage-deflate; server_max_window_bits=8",
                        "permessage-deflate; server_max_window_bits",
                        "permessage-deflate; server_max_window_bits=16",
                        "permessage-deflate; server_max_window_bits=7",
                        "permessage-deflate; server_max_window_bits=015",
                        "permessage-deflate; server_max_window_bits=0xf",
                        "permessage-deflate; client_max_window_bits=16",
                        "permessage-deflate; client_max_window_bits=7",
                        "permessage-deflate; client_max_window_bits=09",
                        "permessage-deflate; client_max_window_bits=ten",
                        "permessage-deflate; server_no_context_takeover=1",
                        "permessage-deflate; client_no_context_takeover=true",
                        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
                        "permessage-deflate; client_no_context_takeover; client_no_context_takeover",
                        "permessage-deflate; client_max_window_bits; client_max_window_bits=10",
                        "permessage-deflate; server_max_window_bits=15; server_max_window_bits=15",
                        "permessage-deflate; x_unknown",
                        "permessage-deflate; max_window_bits=15");
        for (boolean clientResets : new boolean[] {false, true}) {
            for (boolean serverResets : new boolean[] {false, true}) {
                if (!clientResets && !serverResets) {
                    continue; // the factory as given
                }
                PerMessageDeflate deflate = PerMessageDeflate.builder()
                        .clientNoContextTakeover(clientResets).serverNoContextTakeover(serverResets).build();
                contract.variant("client_no_context_takeover=" + clientResets
                        + " server_no_context_takeover=" + serverResets, deflate, deflate);
            }
        }
        return contract.checks().stream().map(check -> DynamicTest.dynamicTest(check.name(), check::run));
    }
}
