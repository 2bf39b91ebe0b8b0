package dev.weft.ext.permessagedeflate;

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
 * transport: every size class, whole and in parts, with and without context takeover each way.
 */
class RoundTripTest {

    private static final int[] SIZES = {0, 1, 63, 64, 125, 126, 65_535, 65_536, 1024 * 1024};

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (boolean clientResets : new boolean[] {false, true}) {
            for (boolean serverResets : new boolean[] {false, true}) {
                for (int size : SIZES) {
                    cases.add(Arguments.of(clientResets, serverResets, size));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "client_no_context_takeover={0} server_no_context_takeover={1} size={2}")
    @MethodSource("cases")
    void textAndBinaryMessagesComeBackIntact(boolean clientResets, boolean serverResets, int size) {
        PerMessageDeflate deflate = PerMessageDeflate.builder()
                .clientNoContextTakeover(clientResets).serverNoContextTakeover(serverResets).build();
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of(deflate)).build();
        Events client = Events.recording();
        InMemoryPair pair = InMemoryPair.builder().config(config).connect(Events.echoing(), client);
        assertEquals(PerMessageDeflate.NAME, pair.client().extensions().get(0).name());

        Random random = new Random(size);
        String text = compressibleText(random, size);
        byte[] binary = new byte[size];
        random.nextBytes(binary);
        // Twice each, so the second message meets whatever context the first one left.
        for (int i = 0; i < 2; i++) {
            pair.client().sendText(text);
            pair.client().sendBinary(ByteBuffer.wrap(binary));
        }
        // In three parts: the last may be empty.
        int a = size / 3;
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
