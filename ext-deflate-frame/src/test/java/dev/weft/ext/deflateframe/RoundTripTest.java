package dev.weft.ext.deflateframe;

import dev.weft.api.WebSocketConfig;
import dev.weft.core.memory.InMemoryPair;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Messages through a client and a server that both run the extension, over the in-memory
 * transport: every size class, whole and in parts, under both names, with context takeover, with
 * each end compressing on its own by choice or on request, and with a threshold that leaves some
 * frames uncompressed.
 */
class RoundTripTest {

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

    static Stream<Arguments> cases() {
        List<Integer> sizes = new ArrayList<>();
        for (int size : SIZES) {
            sizes.add(size);
        }
        Random random = new Random(SEED);
        for (int i = 0; i < 3; i++) {
            sizes.add(random.nextInt(300_000));
        }
        List<Arguments> cases = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            for (int i = 0; i < sizes.size(); i++) {
                cases.add(Arguments.of(mode, NegotiationTest.NAMES.get(i % 2), sizes.get(i)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} size={2}")
    @MethodSource("cases")
    void textAndBinaryMessagesComeBackIntact(Mode mode, String name, int size) {
        DeflateFrame deflate = DeflateFrame.builder().name(name)
                .threshold(mode == Mode.THRESHOLD ? 4096 : 0)
                .noContextTakeover(mode == Mode.OWN_NO_CONTEXT_TAKEOVER)
                .requestNoContextTakeover(mode == Mode.REQUESTED_NO_CONTEXT_TAKEOVER)
                .build();
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of(deflate)).build();
        Events client = Events.recording();
        InMemoryPair pair = InMemoryPair.builder().config(config).connect(Events.echoing(), client);
        assertEquals(name, pair.client().extensions().get(0).name());
        assertEquals(name, pair.server().extensions().get(0).name());

        Random random = new Random(size);
        String text = compressibleText(random, size);
        byte[] binary = new byte[size];
        random.nextBytes(binary);
        // Twice each, so the second message meets whatever context the first one left.
        for (int i = 0; i < 2; i++) {
            pair.client().sendText(text);
            pair.client().sendBinary(ByteBuffer.wrap(binary));
        }
        // In parts of uneven sizes (a small first, so with a threshold it alone goes uncompressed);
        // the last may be empty.
        int a = size / 100;
        int b = 2 * size / 3;
        pair.client().sendText(text.substring(0, a), false);
        pair.client().sendText(text.substring(a, b), false);
        pair.client().sendText(text.substring(b), true);
        pair.client().sendBinary(ByteBuffer.wrap(binary, 0, a), false);
        pair.client().sendBinary(ByteBuffer.wrap(binary, a, b - a), false);
        pair.client().sendBinary(ByteBuffer.wrap(binary, b, size - b), true);
        pair.flush();

        List<Object> echoed = client.takeMessages();
        assertEquals(6, echoed.size());
        for (int i = 0; i < 6; i += 2) {
            assertEquals(text, echoed.get(i));
            assertArrayEquals(binary, (byte[]) echoed.get(i + 1));
        }
        pair.client().close();
        pair.flush();
    }

    /** Text from a small vocabulary, so DEFLATE finds repeats (the binary messages are random). */
    private static String compressibleText(Random random, int size) {
        String[] words = {"weft ", "warp ", "loom ", "shuttle ", "deflate ", "héddle ", "€ "};
        StringBuilder sb = new StringBuilder(size);
        while (sb.length() < size) {
            sb.append(words[random.nextInt(words.length)]);
        }
        sb.setLength(size);
        return sb.toString();
    }
}
