package dev.weft.transport.nio;

import dev.weft.api.Role;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.Headers;
import dev.weft.core.handshake.HttpHeadParser;
import dev.weft.core.handshake.ServerHandshake;
import dev.weft.core.session.Scheduler;
import dev.weft.core.session.PeerFaultLog;
import dev.weft.core.session.Session;
import dev.weft.core.session.Transport;

import java.io.IOException;
import java.nio.ByteBuffer;

import static java.lang.System.Logger.Level.WARNING;

/**
 * The opening handshake of one accepted connection: reads the request head, routes it to an
 * endpoint (or to the server's {@link HttpResponder} for plain HTTP), answers, and on success hands
 * the connection to a new session, with any bytes that followed the head. A head that does not
 * complete within the handshake timeout gets the connection closed. A connection accepted over the
 * server's connection cap gets 503 with {@code Retry-After} for any request.
 */
final class ServerUpgrade implements NioConnection.Reader {

    private static final System.Logger LOG = System.getLogger(ServerUpgrade.class.getName());

    /** How long a client refused at the connection cap is asked to wait (RFC 9110 §10.2.3). */
    private static final int RETRY_AFTER_SECONDS = 5;
    private static final Headers RETRY_AFTER = Headers.builder()
            .add("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)).build();

    private final WebSocketServer server;
    private final NioConnection connection;
    private final ConnectionCaps.Ticket ticket;
    private final HttpHeadParser parser;
    private final Scheduler.Timer timeout;
    private boolean answered;

    ServerUpgrade(WebSocketServer server, NioConnection connection, ConnectionCaps.Ticket ticket) {
        this.server = server;
        this.connection = connection;
        this.ticket = ticket;
        this.parser = HttpHeadParser.forRequest(server.config().maxHandshakeHeadSize(), server.config().maxHandshakeHeaders());
        this.timeout = connection.loop().schedule(this::timedOut, server.config().handshakeTimeout().toNanos());
    }

    @Override
    public void onBytes(ByteBuffer bytes) {
        if (answered) {
            bytes.position(bytes.limit());
            return;
        }
        try {
            if (!parser.parse(bytes)) {
                return;
            }
        } catch (HandshakeException e) {
            int status = e.status() == 0 ? 400 : e.status();
            PeerFaultLog.refused(connection.remoteAddress(), status + ", " + e.getMessage());
            refuse(ServerHandshake.errorResponse(status, e.getMessage()));
            return;
        }
        answered = true;
        timeout.cancel();
        ticket.handshakeOver();
        answer(parser.request(), bytes);
    }

    private void answer(HandshakeRequest request, ByteBuffer rest) {
        if (ticket.refused()) {
            PeerFaultLog.refused(connection.remoteAddress(), "503, over the connection cap");
            refuse(ServerHandshake.textResponse(503, RETRY_AFTER, "the server is at its connection limit",
                    request.method().equals("HEAD")));
            return;
        }
        Endpoint endpoint = server.endpointFor(request.path());
        // A path no endpoint claims, asked for without a WebSocket upgrade, is plain HTTP; other
        // upgrade offers (h2c from an HTTP client, say) may be ignored (RFC 9110 §7.8).
        if (endpoint == null && !asksForWebSocket(request) && server.httpResponder() != null) {
            refuse(server.httpResponder().respond(request));
            return;
        }
        if (endpoint == null) {
            refuse(ServerHandshake.errorResponse(404, "no WebSocket endpoint at " + request.path()));
            return;
        }
        if (server.isShuttingDown()) {
            refuse(ServerHandshake.errorResponse(503, "the server is shutting down"));
            return;
        }
        ServerHandshake.Result result = endpoint.handshake().answer(request);
        if (result instanceof ServerHandshake.Rejected rejected) {
            PeerFaultLog.refused(connection.remoteAddress(), rejected.problem());
            refuse(rejected.responseBytes());
            return;
        }
        ServerHandshake.Accepted accepted = (ServerHandshake.Accepted) result;
        WebSocketHandler handler;
        try {
            handler = endpoint.handlers().apply(request);
        } catch (RuntimeException e) {
            LOG.log(WARNING, "the handler factory of " + endpoint.pattern() + " failed", e);
            accepted.agreement().extensions().forEach(ext -> ext.close());
            refuse(ServerHandshake.errorResponse(500, "the server failed to accept the connection"));
            return;
        }
        Session session = new Session(Role.SERVER, endpoint.config(), accepted.agreement(), handler, connection,
                connection.loop(), server.sessionOptions());
        connection.session(session);
        connection.reader(new SessionReader(session));
        // Known to the server before the client can see the 101, so a broadcast or a shutdown
        // that follows the client's open always includes it.
        server.opened(connection, session, ticket);
        session.start(accepted.responseBytes());
        if (rest.hasRemaining()) {
            session.receive(rest);
        }
    }

    private static boolean asksForWebSocket(HandshakeRequest request) {
        for (String value : request.headers().all("Upgrade")) {
            for (String token : value.split(",")) {
                if (token.trim().equalsIgnoreCase("websocket")) {
                    return true;
                }
            }
        }
        return false;
    }

    private void refuse(ByteBuffer response) {
        answered = true;
        timeout.cancel();
        ticket.handshakeOver();
        connection.write(Transport.Kind.HANDSHAKE, response, null, null);
        connection.close();
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
