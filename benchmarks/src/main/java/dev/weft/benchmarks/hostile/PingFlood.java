package dev.weft.benchmarks.hostile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Pings in bursts of {@value #BURST}, one write each, with a short read of the pongs between
 * bursts: as many pings as the server will take. The server is expected to answer without letting
 * pongs pile up.
 */
final class PingFlood implements Attack {

    static final int BURST = 100;
    private static final Duration BETWEEN_BURSTS = Duration.ofMillis(5);

    private final String path;
    private final byte[] burst;

    PingFlood(String path) {
        this.path = path;
        byte[] ping = ClientFrames.frame(true, false, ClientFrames.PING,
                "are you there?".getBytes(StandardCharsets.US_ASCII));
        this.burst = new byte[ping.length * BURST];
        for (int i = 0; i < BURST; i++) {
            System.arraycopy(ping, 0, burst, i * ping.length, ping.length);
        }
    }

    @Override
    public void play(RawWebSocket socket, Run run) throws IOException, ConnectionEnded {
        socket.upgrade(path, null);
        while (!run.over()) {
            socket.write(burst);
            socket.poll(BETWEEN_BURSTS);
        }
    }
}
