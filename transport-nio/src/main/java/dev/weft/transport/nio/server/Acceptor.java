package dev.weft.transport.nio.server;

import dev.weft.api.metrics.WebSocketMetrics;
import dev.weft.core.handshake.ConnectionCaps;
import dev.weft.core.log.PeerFaultLog;
import dev.weft.transport.nio.loop.EventLoop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * A server's listening socket on its event loop: accepts connections, lets the caps decide on each
 * (closing at once those they refuse), and hands the others on.
 *
 * <p>When accepting fails (typically {@code Too many open files}), the connection waits in the
 * listen backlog and the socket stays ready, so trying again at once would spin the loop. The
 * acceptor instead stops selecting {@code OP_ACCEPT} for a delay that starts at 100 ms and doubles
 * up to 1 s while it keeps failing, logging once per episode at WARNING; the loop serves the
 * connections it has meanwhile. Used on its loop thread only, except {@link #close}.
 */
public final class Acceptor implements EventLoop.Ready {

    /** Takes an accepted connection the caps admitted; on the accepting loop. */
    public interface Admitted {
        void accepted(SocketChannel channel, InetSocketAddress peer, ConnectionCaps.Ticket ticket);
    }

    private static final System.Logger LOG = System.getLogger(Acceptor.class.getName());
    private static final long FIRST_BACK_OFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACK_OFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ServerSocketChannel channel;
    private final EventLoop loop;
    private final ConnectionCaps caps;
    private final WebSocketMetrics metrics;
    private final Admitted admitted;
    private SelectionKey key;
    /** The current back-off delay; 0 while accepting works. */
    private long backOffNanos;
    private long failuresThisEpisode;

    public Acceptor(ServerSocketChannel channel, EventLoop loop, ConnectionCaps caps, WebSocketMetrics metrics, Admitted admitted) {
        this.channel = channel;
        this.loop = loop;
        this.caps = caps;
        this.metrics = metrics;
        this.admitted = admitted;
    }

    /** Starts accepting; on the loop thread. */
    public void register() throws IOException {
        key = loop.register(channel, SelectionKey.OP_ACCEPT, this);
    }

    @Override
    public void onReady(SelectionKey key) {
        accept();
    }

    private void accept() {
        while (channel.isOpen()) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (IOException e) {
                if (channel.isOpen()) {
                    backOff(e);
                }
                return;
            }
            if (backOffNanos != 0) {
                recovered(); // even with nothing to accept: the call worked
            }
            if (client == null) {
                return;
            }
            admit(client);
        }
    }

    private void admit(SocketChannel client) {
        InetSocketAddress peer;
        try {
            peer = (InetSocketAddress) client.getRemoteAddress();
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        ConnectionCaps.Ticket ticket = caps.admit(peer.getAddress());
        if (ticket == null) {
            PeerFaultLog.refused(peer, "closed at accept, over a connection cap");
            closeQuietly(client);
            return;
        }
        admitted.accepted(client, peer, ticket);
    }

    private void backOff(IOException cause) {
        metrics.acceptFailed();
        failuresThisEpisode++;
        if (backOffNanos == 0) {
            backOffNanos = FIRST_BACK_OFF_NANOS;
            LOG.log(WARNING, "cannot accept connections (" + cause.getMessage() + "); serving those already "
                    + "connected and trying again after 100 ms, then up to every second");
        } else {
            backOffNanos = Math.min(2 * backOffNanos, MAX_BACK_OFF_NANOS);
        }
        if (interest(0)) {
            loop.schedule(this::resume, backOffNanos);
        }
    }

    private void resume() {
        if (interest(SelectionKey.OP_ACCEPT)) {
            accept();
        }
    }

    /** Sets what to select; false if the socket was closed meanwhile (a shutdown, on another thread). */
    private boolean interest(int ops) {
        try {
            key.interestOps(ops);
            return true;
        } catch (CancelledKeyException e) {
            return false;
        }
    }

    private void recovered() {
        long failures = failuresThisEpisode;
        LOG.log(INFO, () -> "accepting connections again after " + failures + " failed attempts");
        backOffNanos = 0;
        failuresThisEpisode = 0;
    }

    /** Stops accepting; from any thread. */
    public void close() throws IOException {
        channel.close();
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // Refused or failed before it was set up; nothing holds it.
        }
    }
}
