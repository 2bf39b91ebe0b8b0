package dev.weft.benchmarks.hostile;

import java.io.IOException;
import java.time.Duration;

/**
 * What one kind of hostile client does with one connection. Implementations are immutable and
 * shared by every connection of their kind, each played on its own thread.
 */
interface Attack {

    /** How long an attacker that holds its connection waits for the server between looks at the clock. */
    Duration HOLD_POLL = Duration.ofSeconds(1);

    /**
     * Attacks over a freshly opened TCP connection until the run is over (then returns) or the
     * server ends the connection (then throws).
     *
     * @throws ConnectionEnded with what the server did: a close code, an HTTP status, a TCP close
     * @throws IOException when the connection fails under the attacker (the server reset it, or the
     *     run closed it at its end)
     */
    void play(RawWebSocket socket, Run run) throws IOException, ConnectionEnded, InterruptedException;

    /**
     * Checks that the server agreed the extension an attack needs.
     *
     * @param agreed the extensions of the server's response
     * @throws ConnectionEnded a permanent one, if {@code name} is not among them
     */
    static void requireAgreed(String agreed, String name) throws ConnectionEnded {
        for (String element : agreed.split(",")) {
            if (element.split(";")[0].trim().equals(name)) {
                return;
            }
        }
        throw ConnectionEnded.refused(name + " not agreed");
    }
}
