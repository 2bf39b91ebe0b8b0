package dev.weft.core.session;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.core.frame.FrameEncoder;
import dev.weft.core.test.FuzzInput;
import dev.weft.core.test.FuzzSeed;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzz targets: a server and a client {@link Session} with no extension, fed arbitrary bytes after
 * the opening handshake. {@link SessionFuzzing} holds the harness and the invariants; the
 * permessage-deflate module runs the same harness with the extension agreed.
 */
public class SessionFuzzTest {

    @FuzzTest
    void serverSessionTakesArbitraryBytes(FuzzedDataProvider data) {
        SessionFuzzing.run(data, Role.SERVER, context -> List.of());
    }

    @FuzzTest
    void clientSessionTakesArbitraryBytes(FuzzedDataProvider data) {
        SessionFuzzing.run(data, Role.CLIENT, context -> List.of());
    }

    /** The seeds of a session of {@code role}: what its peer might send, good and bad. */
    public static Map<String, FuzzSeed> seeds(Role role) {
        Role peer = role == Role.SERVER ? Role.CLIENT : Role.SERVER;
        byte[] hello = ascii("Hello");
        byte[] ping = frame(peer, 0x89, hello);
        Map<String, FuzzSeed> seeds = new LinkedHashMap<>();
        byte[] conversation = join(frame(peer, 0x81, hello), frame(peer, 0x01, ascii("Hel")), ping,
                frame(peer, 0x80, ascii("lo")), frame(peer, 0x8A, hello), frame(peer, 0x82, new byte[256]),
                frame(peer, 0x88, closeBody(1000, "bye")));
        seeds.put("rfc-5.7-conversation-whole", seed(65536, 65536, 0, true, true, conversation, 255));
        seeds.put("rfc-5.7-conversation-partial", seed(65536, 65536, 1, true, true, conversation, 7));
        seeds.put("rfc-5.7-conversation-observed", seed(65536, 65536, 2, false, false, conversation, 1));
        byte[] utf8 = "héllo 🌍".getBytes(StandardCharsets.UTF_8);
        seeds.put("utf8-split-across-fragments", seed(65536, 65536, 1, true, true,
                join(frame(peer, 0x01, slice(utf8, 0, 2)), frame(peer, 0x00, slice(utf8, 2, 9)),
                        frame(peer, 0x80, slice(utf8, 9, utf8.length))), 3));
        seeds.put("invalid-utf8-1007", seed(65536, 65536, 0, true, true,
                frame(peer, 0x81, new byte[] {'a', (byte) 0xC0, (byte) 0xAF}), 255));
        seeds.put("close-reason-invalid-utf8-1007", seed(65536, 65536, 0, false, true,
                frame(peer, 0x88, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF}), 255));
        seeds.put("close-code-1005-on-the-wire-1002", seed(65536, 65536, 0, false, true,
                frame(peer, 0x88, closeBody(1005, "")), 255));
        seeds.put("close-one-byte-1002", seed(65536, 65536, 0, false, true,
                frame(peer, 0x88, new byte[] {0x03}), 255));
        seeds.put("close-empty-echoed", seed(65536, 65536, 0, false, true,
                frame(peer, 0x88, new byte[0]), 255));
        seeds.put("close-4000-echoed", seed(65536, 65536, 0, false, false,
                frame(peer, 0x88, closeBody(4000, "app")), 255));
        seeds.put("message-over-limit-1009", seed(65536, 16, 0, true, true,
                join(frame(peer, 0x01, new byte[10]), frame(peer, 0x80, new byte[10])), 255));
        seeds.put("frame-over-limit-1009", seed(125, 65536, 1, true, true,
                frame(peer, 0x82, new byte[200]), 255));
        seeds.put("continuation-without-start-1002", seed(65536, 65536, 0, true, true,
                frame(peer, 0x80, hello), 255));
        seeds.put("data-inside-fragmented-message-1002", seed(65536, 65536, 1, true, true,
                join(frame(peer, 0x01, hello), frame(peer, 0x81, hello)), 255));
        seeds.put("rsv1-not-negotiated-1002", seed(65536, 65536, 0, true, true,
                frame(peer, 0xC1, hello), 255));
        seeds.put("wrong-masking-1002", seed(65536, 65536, 0, true, true,
                frame(role, 0x81, hello), 255));
        List<byte[]> pings = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pings.add(frame(peer, 0x89, new byte[] {(byte) i}));
        }
        seeds.put("ping-flood", seed(65536, 65536, 0, false, true, join(pings.toArray(byte[][]::new)), 255));
        seeds.put("header-then-silence", seed(65536, 65536, 0, true, false,
                slice(frame(peer, 0x82, new byte[1000]), 0, 20), 255));
        return seeds;
    }

    private static FuzzSeed seed(int maxFrameSize, int maxMessageSize, int kind, boolean echo, boolean endOfInput,
                                 byte[] stream, int chunk) {
        return SessionFuzzing.seed(new FuzzSeed(), maxFrameSize, maxMessageSize, kind, echo, endOfInput, stream, chunk);
    }

    /** A frame as a peer of {@code role} sends it: masked (with the RFC's example key) by a client. */
    public static byte[] frame(Role role, int b0, byte[] payload) {
        FrameEncoder encoder = new FrameEncoder(role, () -> 0x37FA213D);
        ByteBuffer head = encoder.encode(b0, ByteBuffer.wrap(payload));
        byte[] body = encoder.masks() ? new byte[0] : payload;
        return join(bytes(head), body);
    }

    /** A close frame's body. */
    public static byte[] closeBody(int code, String reason) {
        byte[] r = ascii(reason);
        return ByteBuffer.allocate(2 + r.length).putShort((short) code).put(r).array();
    }

    public static byte[] join(byte[]... parts) {
        return FuzzInput.joined(List.of(parts));
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
