package dev.weft.benchmarks.hostile;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connection churn: open, send one message and wait for its echo, then leave, alternately with the
 * close handshake (the outcome is the server's close code, 1000 when all is well) and by dropping
 * the TCP connection ({@value #DROPPED}).
 */
final class Churn implements Attack {

    static final String DROPPED = "dropped by the client";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final String path;
    private final AtomicLong cycles = new AtomicLong();

    Churn(String path) {
        this.path = path;
    }

    @Override
    public void play(RawWebSocket socket, Run run) throws IOException, ConnectionEnded {
        boolean drop = cycles.getAndIncrement() % 2 == 1;
        socket.upgrade(path, null);
        socket.write(ClientFrames.text("churn"));
        if (!socket.pollUntil(WAIT, () -> socket.frames().dataFrames() > 0)) {
            throw ConnectionEnded.by("no echo");
        }
        if (drop) {
            throw ConnectionEnded.by(DROPPED);
        }
        socket.write(ClientFrames.close(1000));
        socket.poll(WAIT);
        throw ConnectionEnded.by("no close answer");
    }
}
