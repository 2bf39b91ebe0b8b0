package dev.weft.core.test;

import dev.weft.api.Role;
import dev.weft.core.extension.ExtensionFuzzTest;
import dev.weft.core.frame.FrameDecoderFuzzTest;
import dev.weft.core.handshake.HandshakeFuzzTest;
import dev.weft.core.session.SessionFuzzTest;

import java.nio.file.Path;

/**
 * Writes the committed seed corpus of core's fuzz targets (docs/fuzzing.md). Run from the module
 * directory after changing a target's input layout or its seeds:
 * {@code java -cp target/classes:target/test-classes:<jazzer-api jar> dev.weft.core.test.CoreFuzzSeeds}.
 */
public final class CoreFuzzSeeds {

    private CoreFuzzSeeds() {
    }

    public static void main(String[] args) {
        Path module = Path.of(args.length > 0 ? args[0] : ".");
        FuzzSeed.write(module, FrameDecoderFuzzTest.class, "decodesArbitraryBytesInArbitrarySplits",
                FrameDecoderFuzzTest.seeds());
        FuzzSeed.write(module, SessionFuzzTest.class, "serverSessionTakesArbitraryBytes", SessionFuzzTest.seeds(Role.SERVER));
        FuzzSeed.write(module, SessionFuzzTest.class, "clientSessionTakesArbitraryBytes", SessionFuzzTest.seeds(Role.CLIENT));
        FuzzSeed.write(module, HandshakeFuzzTest.class, "serverAnswersArbitraryRequestHeads",
                HandshakeFuzzTest.serverSeeds());
        FuzzSeed.write(module, HandshakeFuzzTest.class, "clientChecksArbitraryResponseHeads",
                HandshakeFuzzTest.clientSeeds());
        FuzzSeed.write(module, ExtensionFuzzTest.class, "parsesFormatsAndNegotiatesArbitraryHeaders",
                ExtensionFuzzTest.seeds());
    }
}
