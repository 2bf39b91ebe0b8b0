package dev.weft.benchmarks.hostile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An opening handshake sent one byte at a time, with a pause after each, followed by header lines
 * without end: the empty line that would finish the head never comes. The server is expected to
 * give up at its handshake timeout (a TCP close, or an HTTP error) or at its head-size limit.
 */
final class Slowloris implements Attack {

    static final Duration BYTE_INTERVAL = Duration.ofMillis(500);
    private static final byte[] PADDING = "X-Slow: x\r\n".getBytes(StandardCharsets.US_ASCII);

    private final String path;

    Slowloris(String path) {
        this.path = path;
    }

    @Override
    public void play(RawWebSocket socket, Run run) throws IOException, ConnectionEnded {
        byte[] head = RawWebSocket.requestHead(path, null).getBytes(StandardCharsets.US_ASCII);
        for (long sent = 0; !run.over(); sent++) {
            int b = sent < head.length ? head[(int) sent] : PADDING[(int) ((sent - head.length) % PADDING.length)];
            socket.write(new byte[] {(byte) b});
            if (socket.awaitAnswer(BYTE_INTERVAL)) {
                throw ConnectionEnded.by("101 to an unfinished head");
            }
        }
    }
}
