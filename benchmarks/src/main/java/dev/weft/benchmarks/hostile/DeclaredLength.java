package dev.weft.benchmarks.hostile;

import java.io.IOException;
import java.time.Duration;

/**
 * A binary frame header declaring {@code declared} payload bytes, then one byte of it, then (if
 * {@code trickle} is not zero) one more byte each {@code trickle}, for as long as the connection
 * lasts. A server that sizes storage by the declared length spends the whole of it at the header;
 * one that grows with what arrived spends a few bytes.
 */
final class DeclaredLength implements Attack {

    private final String path;
    private final long declared;
    private final Duration trickle;

    DeclaredLength(String path, long declared, Duration trickle) {
        this.path = path;
        this.declared = declared;
        this.trickle = trickle;
    }

    @Override
    public void play(RawWebSocket socket, Run run) throws IOException, ConnectionEnded {
        socket.upgrade(path, null);
        byte[] key = ClientFrames.maskKey();
        socket.write(ClientFrames.header(true, false, ClientFrames.BINARY, declared, key));
        long sent = 0;
        while (!run.over()) {
            if (sent == 0 || !trickle.isZero() && sent < declared) {
                // Masked as the header promised: byte i of the payload is XORed with key[i % 4].
                socket.write(new byte[] {(byte) ('x' ^ key[(int) (sent & 3)])});
                sent++;
            }
            socket.poll(trickle.isZero() ? HOLD_POLL : trickle);
        }
    }
}
