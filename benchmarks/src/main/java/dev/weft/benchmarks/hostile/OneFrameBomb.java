package dev.weft.benchmarks.hostile;

import java.io.IOException;

/**
 * A compression extension, then one whole compressed binary frame that inflates to far more than
 * the server's message limit. The server is expected to stop inflating at the limit and close
 * with 1009; how long its loop is busy meanwhile shows in the well-behaved clients' latency.
 */
final class OneFrameBomb implements Attack {

    private final String path;
    private final String extension;
    private final byte[] compressed;

    /**
     * @param extension the extension to offer and require, such as {@code permessage-deflate}
     * @param compressed the frame's payload, compressed for that extension
     */
    OneFrameBomb(String path, String extension, byte[] compressed) {
        this.path = path;
        this.extension = extension;
        this.compressed = compressed;
    }

    @Override
    public void play(RawWebSocket socket, Run run) throws IOException, ConnectionEnded {
        Attack.requireAgreed(socket.upgrade(path, extension), extension);
        socket.write(ClientFrames.frame(true, true, ClientFrames.BINARY, compressed));
        while (!run.over()) {
            socket.poll(HOLD_POLL);
        }
    }
}
