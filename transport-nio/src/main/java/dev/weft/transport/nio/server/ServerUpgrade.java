package dev.weft.transport.nio.server;

import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.core.handshake.ConnectionCaps;
import dev.weft.core.handshake.Routes;
import dev.weft.core.handshake.ServerOpening;
import dev.weft.core.log.PeerFaultLog;
import dev.weft.core.session.Scheduler;
import dev.weft.core.session.Session;
import dev.weft.core.session.SessionOptions;
import dev.weft.core.session.Transport;
import dev.weft.transport.nio.loop.NioConnection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The opening handshake of one accepted connection: runs a {@link ServerOpening} driver with the
 * server's {@link Routes}, writes a refusal and closes, or on success hands the connection to a new
 * session, with any bytes that followed the head. A head that does not complete within the
 * handshake timeout gets the connection closed.
 */
public final class ServerUpgrade implements NioConnection.Opening {

    private final NioConnection connection;
    private final Routes routes;
    private final SessionOptions options;
    private final ConnectionCaps.Ticket ticket;
    private final Consumer<Session> opened;
    private final ServerOpening opening;
    private final Scheduler.Timer timeout;
    private boolean answered;

    /**
     * @param limits the server's configuration: head limits and the handshake timeout
     * @param options what each session is given
     * @param opened told of a new session before its 101 is written, so that a broadcast or a
     *     shutdown that follows the client's open always includes it
     */
    public ServerUpgrade(NioConnection connection, Routes routes, WebSocketConfig limits, SessionOptions options,
                         ConnectionCaps.Ticket ticket, Consumer<Session> opened) {
        this.connection = connection;
        this.routes = routes;
        this.options = options;
        this.ticket = ticket;
        this.opened = opened;
        this.opening = new ServerOpening(limits, request -> routes.route(request, ticket.refused()), connection.remoteAddress());
        this.timeout = connection.loop().schedule(this::timedOut, limits.handshakeTimeout().toNanos());
    }

    @Override
    public void onBytes(ByteBuffer bytes) {
        if (answered) {
            bytes.position(bytes.limit());
            return;
        }
        ServerOpening.Step step = opening.feed(bytes);
        if (step instanceof ServerOpening.NeedMore) {
            return;
        }
        answered = true;
        timeout.cancel();
        ticket.handshakeOver();
        if (step instanceof ServerOpening.Refuse refuse) {
            if (refuse.status() != 0) { // 0: a plain HTTP answer, not a refusal
                options.metrics().handshakeRefused(refuse.status());
            }
            connection.write(Transport.Kind.HANDSHAKE, refuse.responseBytes(), null, null);
            connection.close();
            return;
        }
        ServerOpening.Open open = (ServerOpening.Open) step;
        Session session = new Session(Role.SERVER, open.endpoint().config(), open.agreement(), open.handler(),
                connection, connection.loop(), options.endpoint(open.endpoint().name()));
        connection.upgraded(session);
        opened.accept(session);
        session.start(open.responseBytes());
        if (open.leftover().hasRemaining()) {
            session.receive(open.leftover());
        }
    }

    private void timedOut() {
        if (!answered && !connection.isClosed()) {
            answered = true;
            PeerFaultLog.refused(connection.remoteAddress(), "no complete opening handshake within the handshake timeout");
            connection.abort();
        }
    }

    @Override
    public void onEndOfInput() {
        timeout.cancel();
        connection.close();
    }

    @Override
    public void onFailure(IOException cause) {
        timeout.cancel();
    }
}
