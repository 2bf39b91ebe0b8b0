package dev.weft.ext.zstd;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.github.luben.zstd.EndDirective;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.extension.ExtensionFuzzing;
import dev.weft.core.extension.ExtensionFuzzing.Compression;
import dev.weft.core.extension.ExtensionFuzzing.SeedFrame;
import dev.weft.core.test.FuzzSeed;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzz target for permessage-zstd (docs/fuzzing.md): the extension's decompressor through the
 * public SPI, with the invariants of {@link ExtensionFuzzing}. Run {@link #main} from this module's
 * directory to rewrite the seeds.
 */
public class PerMessageZstdFuzzTest {

    private static final String NAME = PerMessageZstd.NAME;

    @FuzzTest
    void decompressorTakesArbitraryFrames(FuzzedDataProvider data) {
        ExtensionFuzzing.run(data, new PerMessageZstd(), Compression.PER_MESSAGE, NativeContexts::live);
    }

    /** Writes the seeds under this module's src/test/resources. */
    public static void main(String[] args) {
        FuzzSeed.write(Path.of(args.length > 0 ? args[0] : "."), PerMessageZstdFuzzTest.class,
                "decompressorTakesArbitraryFrames", seeds());
    }

    /** Real messages of both roles, bombs, windows over the limit and each way to break the rules. */
    static Map<String, FuzzSeed> seeds() {
        Map<String, FuzzSeed> seeds = new LinkedHashMap<>();
        seeds.put("client-messages-context-takeover", seed(Role.SERVER, NAME, encoded(Role.CLIENT, false)));
        seeds.put("server-messages-no-context-takeover", seed(Role.CLIENT,
                NAME + "; server_no_context_takeover; client_no_context_takeover", encoded(Role.SERVER, true)));
        try (Zstandard z = Zstandard.stream(17)) {
            seeds.put("bomb-flushed-over-limit-1009", ExtensionFuzzing.seed(Role.SERVER, 1000, NAME,
                    List.of(new SeedFrame(Opcode.BINARY, true, true, z.zeros(1 << 20, EndDirective.FLUSH)))));
        }
        seeds.put("declared-size-over-limit-1009", ExtensionFuzzing.seed(Role.CLIENT, 1000, NAME,
                List.of(new SeedFrame(Opcode.BINARY, true, true, Zstandard.frame(new byte[5000])))));
        try (Zstandard z = Zstandard.stream(24)) {
            // Fed without its size, so the frame declares the whole 16 MiB window.
            seeds.put("window-over-limit", seed(Role.SERVER, NAME, List.of(new SeedFrame(Opcode.BINARY, true, true,
                    z.zeros(200, EndDirective.END)))));
        }
        try (Zstandard z = Zstandard.checksummed()) {
            seeds.put("checksummed-frame", seed(Role.SERVER, NAME, List.of(new SeedFrame(Opcode.TEXT, true, true,
                    z.compress("Hello, checksummed".getBytes(StandardCharsets.UTF_8), EndDirective.END)))));
        }
        seeds.put("rsv1-on-continuation-1002", seed(Role.SERVER, NAME,
                List.of(new SeedFrame(Opcode.TEXT, false, true, Zstandard.frame(new byte[100])),
                        new SeedFrame(Opcode.TEXT, true, true, new byte[0]))));
        seeds.put("rsv1-on-close-1002", seed(Role.SERVER, NAME,
                List.of(new SeedFrame(Opcode.CLOSE, true, true, new byte[] {0x03, (byte) 0xE8}))));
        seeds.put("not-zstd-1007", seed(Role.CLIENT, NAME,
                List.of(new SeedFrame(Opcode.TEXT, true, true, "not zstd".getBytes(StandardCharsets.UTF_8)))));
        seeds.put("window-log-offer-declined", seed(Role.SERVER, NAME + "; server_max_window_log=40",
                List.of(new SeedFrame(Opcode.TEXT, true, false, "plain".getBytes(StandardCharsets.UTF_8)))));
        return seeds;
    }

    private static FuzzSeed seed(Role role, String header, List<SeedFrame> frames) {
        return ExtensionFuzzing.seed(role, 1 << 19, header, frames);
    }

    /**
     * Messages as the extension of {@code sender} compresses them: one in one frame, one in three
     * with a ping between, then the first again.
     */
    private static List<SeedFrame> encoded(Role sender, boolean noContextTakeover) {
        ExtensionParameters parameters = ExtensionParameters.of(NAME);
        if (noContextTakeover) {
            parameters = parameters.with("server_no_context_takeover").with("client_no_context_takeover");
        }
        PerMessageZstd factory = PerMessageZstd.builder().threshold(0).build();
        ExtensionContext context = new ExtensionContext(sender, 1 << 16, 1 << 20);
        try (Extension ext = sender == Role.SERVER ? factory.accept(parameters, context).orElseThrow()
                : factory.accepted(parameters, context)) {
            return ExtensionFuzzing.encoded(ext);
        }
    }
}
