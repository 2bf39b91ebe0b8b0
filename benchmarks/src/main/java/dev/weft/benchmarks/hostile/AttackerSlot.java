package dev.weft.benchmarks.hostile;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * One attacker of one kind, on its own thread: plays its attack on a new connection, records how
 * the connection ended, pauses, and reconnects, so the pressure stays the same however the server
 * deals with each connection, until the run is over. Stops early only when the server cannot be
 * attacked this way at all.
 */
final class AttackerSlot implements Runnable {

    /** The connection was still open when the run ended. */
    static final String HELD = "held to the end";

    private final Kind kind;
    private final Attack attack;
    private final int port;
    private final Run run;
    private final Tally tally;
    private final Duration reconnectPause;

    AttackerSlot(Kind kind, Attack attack, int port, Run run, Tally tally, Duration reconnectPause) {
        this.kind = kind;
        this.attack = attack;
        this.port = port;
        this.run = run;
        this.tally = tally;
        this.reconnectPause = reconnectPause;
    }

    @Override
    public void run() {
        try {
            while (!run.over()) {
                if (!playOnce()) {
                    return;
                }
                run.pause(reconnectPause);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One connection, from connect to its end; whether to go on. */
    private boolean playOnce() throws InterruptedException {
        tally.connecting(kind);
        RawWebSocket socket = null;
        String outcome;
        boolean goOn = true;
        try {
            socket = RawWebSocket.connect(port, run);
            attack.play(socket, run);
            outcome = HELD;
        } catch (ConnectionEnded e) {
            outcome = e.outcome();
            goOn = !e.permanent();
        } catch (IOException e) {
            outcome = run.over() ? HELD : socket == null ? connectFailure(e) : "reset";
        } finally {
            if (socket != null) {
                socket.close();
            }
        }
        tally.ended(kind, outcome);
        return goOn;
    }

    private static String connectFailure(IOException e) {
        if (e instanceof ConnectException) {
            return "connect refused";
        }
        if (e instanceof SocketTimeoutException) {
            return "connect timeout";
        }
        return e instanceof SocketException ? "connect failed" : "connect error";
    }
}
