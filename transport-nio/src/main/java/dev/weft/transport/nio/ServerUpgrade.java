package dev.weft.transport.nio;

import dev.weft.api.Role;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.Headers;
import dev.weft.core.handshake.ServerHandshake;
import dev.weft.core.handshake.ServerOpening;
import dev.weft.core.session.Scheduler;
import dev.weft.core.session.PeerFaultLog;
import dev.weft.core.session.Session;
import dev.weft.core.session.Transport;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The opening handshake of one accepted connection, run by a {@link ServerOpening} driver: this
 * class routes the request to an endpoint (or to the server's {@link HttpResponder} for plain HTTP),
 * and on success hands the connection to a new session, with any bytes that followed the head. A
 * head that does not complete within the handshake timeout gets the connection closed. A
 * connection accepted over the server's connection cap gets 503 with {@code Retry-After} for any
 * request.
 */
final class ServerUpgrade implements NioConnection.Reader {

    /** How long a client refused at the connection cap is asked to wait (RFC 9110 §10.2.3). */
    private static final int RETRY_AFTER_SECONDS = 5;
    private static final Headers RETRY_AFTER = Headers.builder()
            .add("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)).build();

    private final WebSocketServer server;
    private final NioConnection connection;
    private final ConnectionCaps.Ticket ticket;
    private final ServerOpening opening;
    private final Scheduler.Timer timeout;
    private boolean answered;

    ServerUpgrade(WebSocketServer server, NioConnection connection, ConnectionCaps.Ticket ticket) {
        this.server = server;
        this.connection = connection;
        this.ticket = ticket;
        this.opening = new ServerOpening(server.config(), this::route, connection.remoteAddress());
        this.timeout = connection.loop().schedule(this::timedOut, server.config().handshakeTimeout().toNanos());
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
            connection.write(Transport.Kind.HANDSHAKE, refuse.responseBytes(), null, null);
            connection.close();
            return;
        }
        ServerOpening.Open open = (ServerOpening.Open) step;
        Session session = new Session(Role.SERVER, open.endpoint().config(), open.agreement(), open.handler(),
                connection, connection.loop(), server.sessionOptions());
        connection.session(session);
        connection.reader(new SessionReader(session));
        // Known to the server before the client can see the 101, so a broadcast or a shutdown
        // that follows the client's open always includes it.
        server.opened(connection, session, ticket);
        session.start(open.responseBytes());
        if (open.leftover().hasRemaining()) {
            session.receive(open.leftover());
        }
    }

    private ServerOpening.Route route(HandshakeRequest request) {
        if (ticket.refused()) {
            return new ServerOpening.Answer(ServerHandshake.textResponse(503, RETRY_AFTER,
                    "the server is at its connection limit", request.method().equals("HEAD")),
                    503, "over the connection cap", true);
        }
        Endpoint endpoint = server.endpointFor(request.path());
        // A path no endpoint claims, asked for without a WebSocket upgrade, is plain HTTP.
        if (endpoint == null && !ServerOpening.asksForWebSocket(request) && server.httpResponder() != null) {
            return new ServerOpening.Answer(server.httpResponder().respond(request), 0, "plain HTTP", false);
        }
        if (endpoint == null) {
            return ServerOpening.Answer.error(404, "no WebSocket endpoint at " + request.path());
        }
        if (server.isShuttingDown()) {
            return ServerOpening.Answer.error(503, "the server is shutting down");
        }
        return new ServerOpening.Endpoint(endpoint.pattern(), endpoint.handshake(), endpoint.config(),
                endpoint.handlers());
    }

    private void timedOut() {
        if (!answered) {
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
