package dev.weft.ext.zstd;

import dev.weft.api.WebSocketConfig;
import dev.weft.testing.InMemoryPair;
import dev.weft.testing.Recorder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Messages through a Weft client and a Weft server that agreed different windows and levels, over
 * the in-memory transport, whole and in parts. The server echoes, so both directions are exercised.
 * Every size class with and without context takeover is in {@link ContractTest}.
 */
class RoundTripTest {

    @ParameterizedTest(name = "client window 2^{0}, server window 2^{1}, level {2}")
    @CsvSource({"10, 10, 1", "12, 27, 3", "27, 12, 19", "17, 17, -5", "20, 20, 0"})
    void windowsAndLevelsAgreedEitherWayStillRoundTrip(int clientWindowLog, int serverWindowLog, int level) {
        WebSocketConfig client = WebSocketConfig.builder().extensions(List.of(PerMessageZstd.builder()
                .maxWindowLog(clientWindowLog).compressionLevel(level).build())).build();
        WebSocketConfig server = WebSocketConfig.builder().extensions(List.of(PerMessageZstd.builder()
                .maxWindowLog(serverWindowLog).compressionLevel(level).build())).build();
        for (int size : new int[] {0, 100, 5000, 300_000}) {
            roundTrip(client, server, size, new Random(size));
        }
    }

    private static void roundTrip(WebSocketConfig clientConfig, WebSocketConfig serverConfig, int size, Random random) {
        Recorder client = Recorder.recording();
        InMemoryPair pair = InMemoryPair.builder().clientConfig(clientConfig).serverConfig(serverConfig)
                .connect(Recorder.echoing(), client);
        assertEquals(PerMessageZstd.NAME, pair.client().extensions().get(0).name());

        String text = compressibleText(random, size);
        byte[] binary = new byte[size];
        random.nextBytes(binary);
        // Twice each, so the second message meets whatever context the first one left.
        for (int i = 0; i < 2; i++) {
            pair.client().sendText(text);
            pair.client().sendBinary(ByteBuffer.wrap(binary));
        }
        // In three parts (the last may be empty), then in parts of random sizes.
        int a = size / 3;
        int b = 2 * size / 3;
        pair.client().sendText(text.substring(0, a), false);
        pair.client().sendText(text.substring(a, b), false);
        pair.client().sendText(text.substring(b), true);
        pair.client().sendBinary(ByteBuffer.wrap(binary, 0, a), false);
        pair.client().sendBinary(ByteBuffer.wrap(binary, a, b - a), false);
        pair.client().sendBinary(ByteBuffer.wrap(binary, b, size - b), true);
        int at = 0;
        do {
            int next = Math.min(size, at + 1 + random.nextInt(Math.max(1, size / 4)));
            pair.client().sendBinary(ByteBuffer.wrap(binary, at, next - at), next == size);
            at = next;
        } while (at < size);
        pair.flush();

        List<Object> echoed = client.takeMessages();
        assertEquals(7, echoed.size());
        for (int i = 0; i < 6; i += 2) {
            assertEquals(text, echoed.get(i));
            assertArrayEquals(binary, (byte[]) echoed.get(i + 1));
        }
        assertArrayEquals(binary, (byte[]) echoed.get(6));
        pair.client().close();
        pair.flush();
        assertEquals(List.of(1000), client.closeCodes());
    }

    /** Text from a small vocabulary, so zstd finds repeats (the binary messages are random). */
    private static String compressibleText(Random random, int size) {
        String[] words = {"weft ", "warp ", "loom ", "shuttle ", "zstd ", "héddle ", "€ ", "{\"id\":", "}, "};
        StringBuilder sb = new StringBuilder(size);
        while (sb.length() < size) {
            sb.append(words[random.nextInt(words.length)]);
        }
        sb.setLength(size);
        return sb.toString();
    }
}
