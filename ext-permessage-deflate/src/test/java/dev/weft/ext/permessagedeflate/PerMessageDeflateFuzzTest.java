package dev.weft.ext.permessagedeflate;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.extension.ExtensionFuzzing;
import dev.weft.core.extension.ExtensionFuzzing.Compression;
import dev.weft.core.extension.ExtensionFuzzing.SeedFrame;
import dev.weft.core.frame.FrameEncoder;
import dev.weft.core.session.SessionFuzzTest;
import dev.weft.core.session.SessionFuzzing;
import dev.weft.core.test.FuzzSeed;
import dev.weft.ext.zlib.Zlib;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.weft.core.test.RawDeflate.finished;
import static dev.weft.core.test.RawDeflate.flushed;
import static dev.weft.testing.ScriptedPeer.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz targets for permessage-deflate (docs/fuzzing.md): the extension's decoder through the public
 * SPI ({@link ExtensionFuzzing}), and a server and a client session with the extension agreed
 * ({@link SessionFuzzing}), which must also end every zlib context when the session closes. Run
 * {@link #main} from this module's directory to rewrite the seeds.
 */
public class PerMessageDeflateFuzzTest {

    private static final String NAME = PerMessageDeflate.NAME;

    @FuzzTest
    void inflaterTakesArbitraryFrames(FuzzedDataProvider data) {
        ExtensionFuzzing.run(data, new PerMessageDeflate(), Compression.PER_MESSAGE, Zlib::inUse);
    }

    @FuzzTest
    void serverSessionWithDeflateTakesArbitraryBytes(FuzzedDataProvider data) {
        session(data, Role.SERVER);
    }

    @FuzzTest
    void clientSessionWithDeflateTakesArbitraryBytes(FuzzedDataProvider data) {
        session(data, Role.CLIENT);
    }

    /** Input: the no-context-takeover choices (client's, server's), then {@link SessionFuzzing}'s. */
    private static void session(FuzzedDataProvider data, Role role) {
        boolean clientResets = data.consumeBoolean();
        boolean serverResets = data.consumeBoolean();
        // Contexts given back to the factory's pool are idle, not leaked.
        int inUse = Zlib.inUse();
        SessionFuzzing.run(data, role, context -> List.of(agreed(role, clientResets, serverResets, context)));
        assertEquals(inUse, Zlib.inUse(), "the session did not end or give back every zlib context");
    }

    /** permessage-deflate as {@code role} agrees it with these parameters. */
    private static Extension agreed(Role role, boolean clientResets, boolean serverResets, ExtensionContext context) {
        ExtensionParameters parameters = parameters(clientResets, serverResets);
        PerMessageDeflate factory = PerMessageDeflate.builder().threshold(0).build();
        return role == Role.SERVER ? factory.accept(parameters, context).orElseThrow()
                : factory.accepted(parameters, context);
    }

    private static ExtensionParameters parameters(boolean clientResets, boolean serverResets) {
        ExtensionParameters p = ExtensionParameters.of(NAME);
        if (clientResets) {
            p = p.with("client_no_context_takeover");
        }
        if (serverResets) {
            p = p.with("server_no_context_takeover");
        }
        return p;
    }

    /** Writes the seeds under this module's src/test/resources. */
    public static void main(String[] args) {
        Path module = Path.of(args.length > 0 ? args[0] : ".");
        FuzzSeed.write(module, PerMessageDeflateFuzzTest.class, "inflaterTakesArbitraryFrames", inflaterSeeds());
        FuzzSeed.write(module, PerMessageDeflateFuzzTest.class, "serverSessionWithDeflateTakesArbitraryBytes",
                sessionSeeds(Role.SERVER));
        FuzzSeed.write(module, PerMessageDeflateFuzzTest.class, "clientSessionWithDeflateTakesArbitraryBytes",
                sessionSeeds(Role.CLIENT));
    }

    /** RFC 7692 §7.2.3's examples, real messages of both roles, a bomb and each way to break the rules. */
    static Map<String, FuzzSeed> inflaterSeeds() {
        Map<String, FuzzSeed> seeds = new LinkedHashMap<>();
        seeds.put("rfc-7692-7.2.3.1-hello", inflater(Role.CLIENT, NAME,
                data(Opcode.TEXT, true, true, "f2 48 cd c9 c9 07 00")));
        seeds.put("rfc-7692-7.2.3.1-hello-fragmented", inflater(Role.CLIENT, NAME,
                data(Opcode.TEXT, false, true, "f2 48 cd"), data(Opcode.TEXT, true, false, "c9 c9 07 00")));
        seeds.put("rfc-7692-7.2.3.2-shared-window", inflater(Role.CLIENT, NAME,
                data(Opcode.TEXT, true, true, "f2 48 cd c9 c9 07 00"), data(Opcode.TEXT, true, true, "f2 00 11 00 00")));
        seeds.put("rfc-7692-7.2.3.3-stored-block", inflater(Role.SERVER, NAME,
                data(Opcode.TEXT, true, true, "00 05 00 fa ff 48 65 6c 6c 6f 00")));
        seeds.put("rfc-7692-7.2.3.4-bfinal", inflater(Role.SERVER, NAME,
                data(Opcode.TEXT, true, true, "f3 48 cd c9 c9 07 00 00")));
        seeds.put("bfinal-without-trailing-byte-then-message", inflater(Role.SERVER, NAME,
                new SeedFrame(Opcode.TEXT, true, true, finished("Hello")),
                new SeedFrame(Opcode.TEXT, true, true, finished("Hello again"))));
        seeds.put("rfc-7692-7.2.3.5-two-blocks", inflater(Role.CLIENT, NAME,
                data(Opcode.TEXT, true, true, "f2 48 05 00 00 00 ff ff ca c9 c9 07 00")));
        seeds.put("client-messages-context-takeover", inflater(Role.SERVER,
                NAME + "; client_max_window_bits", encoded(Role.CLIENT, false, false)));
        seeds.put("server-messages-no-context-takeover", inflater(Role.CLIENT,
                NAME + "; server_no_context_takeover; client_no_context_takeover", encoded(Role.SERVER, true, true)));
        byte[] bomb = flushed(new byte[64 * 1024]);
        seeds.put("bomb-over-limit-1009", ExtensionFuzzing.seed(Role.SERVER, 1000, NAME,
                List.of(new SeedFrame(Opcode.BINARY, true, true, bomb))));
        seeds.put("rsv1-on-continuation-1002", inflater(Role.SERVER, NAME,
                data(Opcode.TEXT, false, true, "f2 48 cd"), data(Opcode.TEXT, true, true, "c9 c9 07 00")));
        seeds.put("rsv1-on-ping-1002", inflater(Role.SERVER, NAME, data(Opcode.PING, true, true, "")));
        seeds.put("not-deflate-1007", inflater(Role.SERVER, NAME, data(Opcode.BINARY, true, true, "ff ff ff ff")));
        seeds.put("uncompressed-between-compressed", inflater(Role.CLIENT, NAME,
                data(Opcode.TEXT, true, true, "f2 48 cd c9 c9 07 00"), data(Opcode.BINARY, true, false, "01 02 03"),
                data(Opcode.CLOSE, true, false, "03 e8")));
        seeds.put("offer-window-bits-declined", inflater(Role.SERVER, NAME + "; server_max_window_bits=10, " + NAME,
                data(Opcode.TEXT, true, true, "f2 48 cd c9 c9 07 00")));
        seeds.put("response-refused", inflater(Role.CLIENT, NAME + "; client_max_window_bits=10",
                data(Opcode.TEXT, true, true, "f2 48 cd c9 c9 07 00")));
        return seeds;
    }

    /** Real conversations with the extension agreed: the peer's frames as the session receives them. */
    static Map<String, FuzzSeed> sessionSeeds(Role role) {
        Role peer = role == Role.SERVER ? Role.CLIENT : Role.SERVER;
        Map<String, FuzzSeed> seeds = new LinkedHashMap<>();
        for (boolean resets : new boolean[] {false, true}) {
            List<byte[]> frames = new ArrayList<>();
            boolean inMessage = false;
            for (SeedFrame f : encoded(peer, resets, resets)) {
                // A seed frame names its message's type; on the wire a later fragment is a continuation.
                Opcode opcode = inMessage && !f.opcode().isControl() ? Opcode.CONTINUATION : f.opcode();
                if (!f.opcode().isControl()) {
                    inMessage = !f.fin();
                }
                int b0 = FrameEncoder.firstByte(f.fin(), f.rsv1() ? Frame.RSV1 : 0, opcode.code());
                frames.add(SessionFuzzTest.frame(peer, b0, f.payload()));
            }
            frames.add(SessionFuzzTest.frame(peer, 0x88, SessionFuzzTest.closeBody(1000, "done")));
            byte[] stream = SessionFuzzTest.join(frames.toArray(byte[][]::new));
            String name = resets ? "no-context-takeover" : "context-takeover";
            seeds.put(name + "-whole", session(resets, 65536, 1 << 20, 0, stream, 255));
            seeds.put(name + "-partial", session(resets, 65536, 1 << 20, 1, stream, 17));
        }
        seeds.put("rfc-7692-hello-twice", session(false, 65536, 65536, 2, SessionFuzzTest.join(
                SessionFuzzTest.frame(peer, 0xC1, hex("f2 48 cd c9 c9 07 00")),
                SessionFuzzTest.frame(peer, 0xC1, hex("f2 00 11 00 00"))), 255));
        seeds.put("bomb-over-limit-1009", session(false, 65536, 1000, 0,
                SessionFuzzTest.frame(peer, 0xC2, flushed(new byte[64 * 1024])), 255));
        seeds.put("bfinal-then-message", session(false, 65536, 65536, 0, SessionFuzzTest.join(
                SessionFuzzTest.frame(peer, 0xC1, finished("Hello")),
                SessionFuzzTest.frame(peer, 0xC1, finished("Hello again"))), 255));
        seeds.put("not-deflate-1007", session(true, 65536, 65536, 1,
                SessionFuzzTest.frame(peer, 0xC2, hex("ff ff ff ff")), 255));
        seeds.put("rsv1-on-ping-1002", session(true, 65536, 65536, 0,
                SessionFuzzTest.frame(peer, 0xC9, new byte[0]), 255));
        return seeds;
    }

    private static FuzzSeed session(boolean resets, int maxFrameSize, int maxMessageSize, int kind, byte[] stream,
                                    int chunk) {
        return SessionFuzzing.seed(new FuzzSeed().bool(resets).bool(resets), maxFrameSize, maxMessageSize, kind,
                true, true, stream, chunk);
    }

    private static FuzzSeed inflater(Role role, String header, SeedFrame... frames) {
        return inflater(role, header, List.of(frames));
    }

    private static FuzzSeed inflater(Role role, String header, List<SeedFrame> frames) {
        return ExtensionFuzzing.seed(role, 1 << 19, header, frames);
    }

    private static SeedFrame data(Opcode opcode, boolean fin, boolean rsv1, String payloadHex) {
        return new SeedFrame(opcode, fin, rsv1, hex(payloadHex));
    }

    /**
     * Messages as the extension of {@code sender} compresses them: a text message in one frame,
     * a binary one in three fragments, a ping between them, then the same text again (which context
     * takeover shrinks).
     */
    private static List<SeedFrame> encoded(Role sender, boolean clientResets, boolean serverResets) {
        Role receiver = sender == Role.SERVER ? Role.CLIENT : Role.SERVER;
        ExtensionContext context = new ExtensionContext(receiver, 1 << 16, 1 << 20);
        try (Extension server = agreed(Role.SERVER, clientResets, serverResets, context);
             Extension client = agreed(Role.CLIENT, clientResets, serverResets, context)) {
            Extension ext = sender == Role.SERVER ? server : client;
            return ExtensionFuzzing.encoded(ext);
        }
    }
}
