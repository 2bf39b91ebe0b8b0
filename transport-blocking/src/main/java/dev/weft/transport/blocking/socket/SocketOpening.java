package dev.weft.transport.blocking.socket;

import dev.weft.api.ProxyException;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.core.handshake.ClientOpening;
import dev.weft.core.handshake.ProxyTunnel;
import dev.weft.core.handshake.ServerOpening;
import dev.weft.core.log.PeerFaultLog;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Function;

/**
 * The opening handshake over a {@link Wire}, on the calling thread: the core's sans-IO drivers fed
 * from blocking reads, all within the handshake timeout. A refusal is written and the wire closed
 * here; an accepted handshake is handed back for a {@link SocketSession} to start.
 */
public final class SocketOpening {

    private static final int READ_SIZE = 2048;

    private SocketOpening() {
    }

    /**
     * Answers a client's upgrade request.
     *
     * @param alreadyRead bytes of the request an HTTP server has read already (its head, and any that
     *     followed); empty if none
     * @return the accepted upgrade, to start a session with
     * @throws HandshakeException if the request was refused (the response is written and the wire
     *     closed): its status, and why
     * @throws IOException if the wire failed, ended or stayed silent past the timeout (it is closed)
     */
    public static ServerOpening.Open serve(Wire wire, ServerOpening opening, ByteBuffer alreadyRead, Duration timeout)
            throws IOException {
        ServerOpening.Step step = alreadyRead.hasRemaining() ? opening.feed(alreadyRead) : new ServerOpening.NeedMore();
        if (step instanceof ServerOpening.NeedMore) {
            step = readUntil(wire, timeout, opening::feed, ServerOpening.NeedMore.class, "the client's request",
                    () -> PeerFaultLog.refused(wire.remoteAddress(),
                            "no complete opening handshake within the handshake timeout"));
        }
        if (step instanceof ServerOpening.Refuse refuse) {
            try {
                writeAll(wire, refuse.responseBytes());
            } finally {
                wire.close();
            }
            throw new HandshakeException(refuse.status(), refuse.problem());
        }
        return (ServerOpening.Open) step;
    }

    /**
     * Sends the upgrade request and reads the server's answer.
     *
     * @return the accepted upgrade, to start a session with
     * @throws HandshakeException if the server refused or answered wrongly (the wire is closed)
     * @throws IOException if the wire failed, ended or stayed silent past the timeout (it is closed)
     */
    public static ClientOpening.Open connect(Wire wire, ClientOpening opening, Duration timeout) throws IOException {
        writeAll(wire, opening.requestBytes());
        ClientOpening.Step step;
        try {
            step = readUntil(wire, timeout, opening::feed, ClientOpening.NeedMore.class, "the server's response", () -> {
            });
        } catch (EOFException e) {
            step = opening.endOfInput();
        }
        if (step instanceof ClientOpening.Failed failed) {
            wire.close();
            throw failed.cause();
        }
        return (ClientOpening.Open) step;
    }

    /**
     * Asks a proxy for a tunnel and reads its answer. The server speaks only after the client (its
     * TLS handshake or upgrade request), so a proxy that sends more after its 2xx head is refused
     * rather than trusted.
     *
     * @throws ProxyException if the proxy refused, answered wrongly or closed the connection (the
     *     wire is closed)
     * @throws IOException if the wire failed or the proxy stayed silent past the timeout (it is closed)
     */
    public static void tunnel(Wire wire, ProxyTunnel tunnel, String proxy, Duration timeout) throws IOException {
        writeAll(wire, tunnel.requestBytes());
        ProxyTunnel.Step step;
        try {
            step = readUntil(wire, timeout, tunnel::feed, ProxyTunnel.NeedMore.class, "the proxy's answer", () -> {
            });
        } catch (EOFException e) {
            step = tunnel.endOfInput();
        }
        if (step instanceof ProxyTunnel.Refused refused) {
            wire.close();
            throw refused.cause();
        }
        int early = ((ProxyTunnel.Established) step).leftover().remaining();
        if (early > 0) {
            wire.close();
            throw new ProxyException(proxy, 0, "the proxy " + proxy + " sent " + early
                    + " bytes after its answer, before the tunnel to " + tunnel.target() + " was used");
        }
    }

    /** Reads and feeds until {@code feed} answers something other than {@code needMore}. */
    private static <S> S readUntil(Wire wire, Duration timeout, Function<ByteBuffer, S> feed, Class<?> needMore,
                                   String what, Runnable onTimeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] bytes = new byte[READ_SIZE];
        try {
            for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                wire.readTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
                int n = wire.in().read(bytes);
                if (n < 0) {
                    throw new EOFException("the connection ended before " + what + " was complete");
                }
                S step = feed.apply(ByteBuffer.wrap(bytes, 0, n));
                if (!needMore.isInstance(step)) {
                    wire.readTimeout(0);
                    return step;
                }
            }
        } catch (SocketTimeoutException e) {
            // as if the deadline passed between two reads
        } catch (IOException e) {
            wire.close();
            throw e;
        }
        onTimeout.run();
        wire.close();
        throw new SocketTimeoutException("no complete head of " + what + " within " + timeout);
    }

    private static void writeAll(Wire wire, ByteBuffer bytes) throws IOException {
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        wire.out().write(array);
        wire.out().flush();
    }
}
