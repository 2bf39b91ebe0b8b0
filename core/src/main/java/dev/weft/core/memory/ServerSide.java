package dev.weft.core.memory;

import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.core.handshake.HttpHeadParser;
import dev.weft.core.handshake.ServerHandshake;
import dev.weft.core.session.Session;
import dev.weft.core.session.SessionOptions;
import dev.weft.core.session.Transport;

import java.nio.ByteBuffer;

/**
 * The server end of an in-memory connection: reads the upgrade request, answers it, then hands
 * every later byte to a server {@link Session}. Bytes that follow the request head in the same
 * chunk go to the session, not lost.
 */
final class ServerSide implements MemoryEnd.Reader {

    private final MemoryEnd end;
    private final ManualScheduler scheduler;
    private final WebSocketConfig config;
    private final ServerHandshake handshake;
    private final WebSocketHandler handler;
    private final HttpHeadParser parser;
    private Session session;
    /** What the session is given: a memory budget, say. */
    SessionOptions options = SessionOptions.DEFAULT;
    private String rejection;

    ServerSide(MemoryEnd end, ManualScheduler scheduler, WebSocketConfig config, ServerHandshake handshake,
               WebSocketHandler handler) {
        this.end = end;
        this.scheduler = scheduler;
        this.config = config;
        this.handshake = handshake;
        this.handler = handler;
        this.parser = HttpHeadParser.forRequest(config.maxHandshakeHeadSize(), config.maxHandshakeHeaders());
        end.reader(this);
    }

    Session session() {
        return session;
    }

    /** Why the server refused the upgrade, or null. */
    String rejection() {
        return rejection;
    }

    @Override
    public void onBytes(ByteBuffer bytes) {
        if (session != null) {
            session.receive(bytes);
            return;
        }
        if (rejection != null) {
            return;
        }
        boolean complete;
        try {
            complete = parser.parse(bytes);
        } catch (HandshakeException e) {
            refuse(ServerHandshake.errorResponse(e.status(), e.getMessage()), e.getMessage());
            return;
        }
        if (!complete) {
            return;
        }
        ServerHandshake.Result result = handshake.answer(parser.request());
        if (result instanceof ServerHandshake.Rejected rejected) {
            refuse(rejected.responseBytes(), rejected.problem());
            return;
        }
        ServerHandshake.Accepted accepted = (ServerHandshake.Accepted) result;
        session = new Session(Role.SERVER, config, accepted.agreement(), handler, end, scheduler,
                options);
        session.start(accepted.responseBytes());
        if (bytes.hasRemaining()) {
            session.receive(bytes);
        }
    }

    private void refuse(ByteBuffer response, String problem) {
        rejection = problem;
        end.write(Transport.Kind.HANDSHAKE, response, null, null);
        end.close();
    }

    @Override
    public void onEndOfInput() {
        if (session != null) {
            session.endOfInput();
        } else {
            end.close();
        }
    }
}
