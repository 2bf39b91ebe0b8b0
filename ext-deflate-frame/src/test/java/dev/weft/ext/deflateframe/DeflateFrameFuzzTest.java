package dev.weft.ext.deflateframe;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.extension.ExtensionFuzzing;
import dev.weft.core.extension.ExtensionFuzzing.Compression;
import dev.weft.core.extension.ExtensionFuzzing.SeedFrame;
import dev.weft.core.test.FuzzSeed;
import dev.weft.ext.zlib.Zlib;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.weft.core.test.RawDeflate.finished;
import static dev.weft.core.test.RawDeflate.flushed;
import static dev.weft.testing.ScriptedPeer.hex;

/**
 * Fuzz target for deflate-frame (docs/fuzzing.md): the extension's per-frame decoder through the
 * public SPI, with the invariants of {@link ExtensionFuzzing}. Run {@link #main} from this module's
 * directory to rewrite the seeds.
 */
public class DeflateFrameFuzzTest {

    private static final String NAME = DeflateFrame.NAME;

    @FuzzTest
    void inflaterTakesArbitraryFrames(FuzzedDataProvider data) {
        ExtensionFuzzing.run(data, new DeflateFrame(), Compression.PER_FRAME, Zlib::inUse);
    }

    /** Writes the seeds under this module's src/test/resources. */
    public static void main(String[] args) {
        FuzzSeed.write(Path.of(args.length > 0 ? args[0] : "."), DeflateFrameFuzzTest.class,
                "inflaterTakesArbitraryFrames", seeds());
    }

    /** Real frames of both roles, a bomb, BFINAL blocks and each way to break the rules. */
    static Map<String, FuzzSeed> seeds() {
        Map<String, FuzzSeed> seeds = new LinkedHashMap<>();
        seeds.put("client-frames-context-takeover", seed(Role.SERVER, NAME, encoded(Role.CLIENT, false)));
        seeds.put("server-frames-no-context-takeover", seed(Role.CLIENT, NAME + "; no_context_takeover",
                encoded(Role.SERVER, true)));
        seeds.put("webkit-name-offered", seed(Role.SERVER, DeflateFrame.WEBKIT_NAME + ", " + NAME,
                encoded(Role.CLIENT, false)));
        seeds.put("hello-fragments-each-compressed", seed(Role.CLIENT, NAME,
                List.of(new SeedFrame(Opcode.TEXT, false, true, flushed("Hel")),
                        new SeedFrame(Opcode.TEXT, true, true, flushed("lo")))));
        seeds.put("bfinal-then-frame", seed(Role.SERVER, NAME,
                List.of(new SeedFrame(Opcode.TEXT, true, true, finished("Hello")),
                        new SeedFrame(Opcode.TEXT, true, true, finished("again")))));
        seeds.put("bomb-over-frame-limit-1009", seed(Role.SERVER, NAME,
                List.of(new SeedFrame(Opcode.BINARY, true, true, flushed(new byte[100_000])))));
        seeds.put("bomb-over-message-limit-1009", ExtensionFuzzing.seed(Role.CLIENT, 1000, NAME,
                List.of(new SeedFrame(Opcode.BINARY, false, true, flushed(new byte[600])),
                        new SeedFrame(Opcode.BINARY, true, true, flushed(new byte[600])))));
        seeds.put("rsv1-on-ping-1002", seed(Role.SERVER, NAME, List.of(new SeedFrame(Opcode.PING, true, true, new byte[0]))));
        seeds.put("not-deflate-1007", seed(Role.SERVER, NAME, List.of(new SeedFrame(Opcode.TEXT, true, true, hex("ff ff ff")))));
        seeds.put("window-bits-declined", seed(Role.SERVER, NAME + "; max_window_bits=10",
                List.of(new SeedFrame(Opcode.TEXT, true, false, hex("48 65 6c 6c 6f")))));
        seeds.put("response-refused", seed(Role.CLIENT, NAME + "; max_window_bits=9",
                List.of(new SeedFrame(Opcode.TEXT, true, false, hex("48 65 6c 6c 6f")))));
        return seeds;
    }

    private static FuzzSeed seed(Role role, String header, List<SeedFrame> frames) {
        return ExtensionFuzzing.seed(role, 1 << 19, header, frames);
    }

    /** Frames as the extension of {@code sender} compresses them: a message in one frame, one in three, a ping. */
    private static List<SeedFrame> encoded(Role sender, boolean noContextTakeover) {
        ExtensionParameters parameters = ExtensionParameters.of(NAME);
        if (noContextTakeover) {
            parameters = parameters.with("no_context_takeover");
        }
        DeflateFrame factory = DeflateFrame.builder().threshold(0).noContextTakeover(noContextTakeover).build();
        ExtensionContext context = new ExtensionContext(sender, 1 << 16, 1 << 20);
        try (Extension ext = sender == Role.SERVER ? factory.accept(parameters, context).orElseThrow()
                : factory.accepted(parameters, context)) {
            return ExtensionFuzzing.encoded(ext);
        }
    }
}
