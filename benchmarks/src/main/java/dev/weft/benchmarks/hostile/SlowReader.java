package dev.weft.benchmarks.hostile;

import java.io.IOException;
import java.time.Duration;

/**
 * Large binary messages sent to the echo endpoint, one after another, while nothing is read: the
 * echoes pile up in the server's write queue, then in TCP's buffers, and the writes here block once
 * the server stops reading. The server is expected to pause reading or close (1008 by default);
 * when a write fails, what the server sent is read for a moment to find its close frame.
 */
final class SlowReader implements Attack {

    private static final Duration DRAIN = Duration.ofSeconds(2);

    private final String path;
    private final byte[] message;

    /**
     * @param size each message's payload size
     */
    SlowReader(String path, int size) {
        this.path = path;
        this.message = ClientFrames.frame(true, false, ClientFrames.BINARY, new byte[size]);
    }

    @Override
    public void play(RawWebSocket socket, Run run) throws IOException, ConnectionEnded {
        socket.upgrade(path, null);
        try {
            while (!run.over()) {
                socket.write(message);
            }
        } catch (IOException writeFailed) {
            if (!run.over()) {
                // Post mortem: the close frame, if any, sits behind the echoes never read.
                socket.poll(DRAIN);
            }
            throw writeFailed;
        }
    }
}
