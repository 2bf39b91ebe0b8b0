package dev.weft.ext.zstd;

import dev.weft.testing.ExtensionContract;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The extension contract of weft-testing, run as a third party would: negotiation (a default
 * server's answers to offers), messages of every size class and some random ones both ways, whole and
 * in parts, with and without context takeover each way, reserved bits, decompression bombs, and
 * native contexts released however a connection ends, and large messages decompressed in slices of
 * at most 64 KiB.
 */
class ContractTest {

    private static final int[] SIZES = {0, 1, 63, 64, 125, 126, 127, 65_535, 65_536, 1024 * 1024};
    private static final int[] RANDOM_SIZES = new Random(7).ints(6, 0, 300_000).toArray();

    @TestFactory
    Stream<DynamicTest> keepsTheExtensionContract() {
        ExtensionContract.Builder contract = ExtensionContract.of(new PerMessageZstd())
                .slicesOutput().sizes(IntStream.concat(IntStream.of(SIZES), IntStream.of(RANDOM_SIZES)).toArray())
                .liveResources(NativeContexts::live)
                .accepts("permessage-zstd",
                        "permessage-zstd")
                .accepts("permessage-zstd; server_no_context_takeover",
                        "permessage-zstd; server_no_context_takeover")
                .accepts("permessage-zstd; client_no_context_takeover",
                        "permessage-zstd; client_no_context_takeover")
                .accepts("permessage-zstd; client_no_context_takeover; server_no_context_takeover",
                        "permessage-zstd; server_no_context_takeover; client_no_context_takeover")
                .accepts("permessage-zstd; Server_No_Context_Takeover",
                        "permessage-zstd; server_no_context_takeover")
                .accepts("permessage-zstd; server_max_window_log=12",
                        "permessage-zstd; server_max_window_log=12")
                .accepts("permessage-zstd; server_max_window_log=10",
                        "permessage-zstd; server_max_window_log=10")
                .accepts("permessage-zstd; server_max_window_log=17",
                        "permessage-zstd; server_max_window_log=17")
                .accepts("permessage-zstd; server_max_window_log=27",
                        "permessage-zstd; server_max_window_log=17")
                .accepts("permessage-zstd; server_max_window_log=\"20\"",
                        "permessage-zstd; server_max_window_log=17")
                .declines(
                        "permessage-zstd; server_max_window_log=9",
                        "permessage-zstd; server_max_window_log=28",
                        "permessage-zstd; server_max_window_log=012",
                        "permessage-zstd; server_max_window_log=1e1",
                        "permessage-zstd; server_max_window_log",
                        "permessage-zstd; client_max_window_log=12",
                        "permessage-zstd; client_max_window_log",
                        "permessage-zstd; server_no_context_takeover=1",
                        "permessage-zstd; client_no_context_takeover=true",
                        "permessage-zstd; server_no_context_takeover; server_no_context_takeover",
                        "permessage-zstd; client_no_context_takeover; CLIENT_NO_CONTEXT_TAKEOVER",
                        "permessage-zstd; server_max_window_log=12; server_max_window_log=12",
                        "permessage-zstd; x_unknown",
                        "permessage-zstd; server_max_window_bits=15",
                        "permessage-zstd; level=3");
        for (boolean clientResets : new boolean[] {false, true}) {
            for (boolean serverResets : new boolean[] {false, true}) {
                if (!clientResets && !serverResets) {
                    continue; // the factory as given
                }
                PerMessageZstd zstd = PerMessageZstd.builder()
                        .clientNoContextTakeover(clientResets).serverNoContextTakeover(serverResets).build();
                contract.variant("client_no_context_takeover=" + clientResets
                        + " server_no_context_takeover=" + serverResets, zstd, zstd);
            }
        }
        return contract.checks().stream().map(check -> DynamicTest.dynamicTest(check.name(), check::run));
    }
}
