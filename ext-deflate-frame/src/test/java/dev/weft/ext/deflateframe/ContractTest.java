package dev.weft.ext.deflateframe;

import dev.weft.ext.zlib.Zlib;
import dev.weft.testing.ExtensionContract;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The extension contract of weft-testing: messages of every size class and some random ones both
 * ways, whole and in parts, under both names, with context takeover, with each end compressing on its
 * own by choice or on request, and with a threshold that leaves some frames uncompressed; reserved
 * bits, inflation bombs, resources released however a connection ends, and large frames inflated in
 * slices of at most 64 KiB.
 */
class ContractTest {

    private static final int[] SIZES = {0, 1, 63, 64, 125, 126, 65_535, 65_536, 1024 * 1024};
    private static final long SEED = 20_120_201;

    /** How the two ends compress. */
    enum Mode {
        /** Both keep their window from frame to frame. */
        CONTEXT_TAKEOVER,
        /** Both compress each frame on their own, unasked. */
        OWN_NO_CONTEXT_TAKEOVER,
        /** Both ask the other to compress each frame on its own, and forget each frame when inflating. */
        REQUESTED_NO_CONTEXT_TAKEOVER,
        /** Frames under 4 KiB go uncompressed, so a message in parts mixes both kinds. */
        THRESHOLD
    }

    @TestFactory
    Stream<DynamicTest> keepsTheExtensionContract() {
        int[] sizes = IntStream.concat(IntStream.of(SIZES), new Random(SEED).ints(3, 0, 300_000)).toArray();
        ExtensionContract.Builder contract = ExtensionContract.of(factory(Mode.CONTEXT_TAKEOVER, DeflateFrame.NAME))
                .slicesOutput().sizes(sizes).liveResources(Zlib::inUse);
        for (Mode mode : Mode.values()) {
            for (String name : NegotiationTest.NAMES) {
                if (mode != Mode.CONTEXT_TAKEOVER || !name.equals(DeflateFrame.NAME)) {
                    DeflateFrame deflate = factory(mode, name);
                    contract.variant(mode + " " + name, deflate, deflate);
                }
            }
        }
        return contract.checks().stream().map(check -> DynamicTest.dynamicTest(check.name(), check::run));
    }

    private static DeflateFrame factory(Mode mode, String name) {
        return DeflateFrame.builder().name(name)
                .threshold(mode == Mode.THRESHOLD ? 4096 : 0)
                .noContextTakeover(mode == Mode.OWN_NO_CONTEXT_TAKEOVER)
                .requestNoContextTakeover(mode == Mode.REQUESTED_NO_CONTEXT_TAKEOVER)
                .build();
    }
}
