package dev.weft.testing;

import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.core.handshake.ServerHandshake;
import dev.weft.core.handshake.ServerOpening;
import dev.weft.core.session.Session;
import dev.weft.core.session.SessionOptions;
import dev.weft.core.session.Transport;
import dev.weft.testing.loop.ManualScheduler;

import java.nio.ByteBuffer;

/**
 * The server end of an in-memory connection: runs a {@link ServerOpening} driver with a single
 * endpoint, then hands every later byte to a server {@link Session}. Bytes that follow the request
 * head in the same chunk go to the session, not lost.
 */
final class ServerSide implements MemoryEnd.Reader {

    private final MemoryEnd end;
    private final ManualScheduler scheduler;
    private final ServerOpening opening;
    private Session session;
    /** What the session is given: a memory budget, say. */
    SessionOptions options = SessionOptions.DEFAULT;
    private String rejection;

    ServerSide(MemoryEnd end, ManualScheduler scheduler, WebSocketConfig config, ServerHandshake handshake,
               WebSocketHandler handler) {
        this.end = end;
        this.scheduler = scheduler;
        ServerOpening.Endpoint endpoint = new ServerOpening.Endpoint("the in-memory server", handshake, config,
                request -> handler);
        this.opening = new ServerOpening(config, request -> endpoint, end.remoteAddress());
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
        ServerOpening.Step step = opening.feed(bytes);
        if (step instanceof ServerOpening.Refuse refuse) {
            rejection = refuse.problem();
            end.write(Transport.Kind.HANDSHAKE, refuse.responseBytes(), null, null);
            end.close();
        } else if (step instanceof ServerOpening.Open open) {
            Session opened = new Session(Role.SERVER, open.endpoint().config(), open.agreement(), open.handler(), end,
                    scheduler, options);
            session = opened;
            opened.start(open.responseBytes());
            if (open.leftover().hasRemaining()) {
                opened.receive(open.leftover());
            }
        }
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
