package dev.weft.testing;

import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.core.handshake.ClientHandshake;
import dev.weft.core.handshake.ClientOpening;
import dev.weft.core.session.Session;
import dev.weft.core.session.SessionOptions;
import dev.weft.core.session.Transport;
import dev.weft.testing.loop.ManualScheduler;

import java.nio.ByteBuffer;

/**
 * The client end of an in-memory connection: runs a {@link ClientOpening} driver, then hands every
 * later byte to a client {@link Session}. Frames that arrive with the response head are not lost.
 */
final class ClientSide implements MemoryEnd.Reader {

    private final MemoryEnd end;
    private final ManualScheduler scheduler;
    private final WebSocketConfig config;
    private final ClientOpening opening;
    private final WebSocketHandler handler;
    private Session session;
    /** What the session is given: a memory budget, say. */
    SessionOptions options = SessionOptions.DEFAULT;
    private HandshakeException failure;

    ClientSide(MemoryEnd end, ManualScheduler scheduler, WebSocketConfig config, ClientHandshake handshake,
               WebSocketHandler handler) {
        this.end = end;
        this.scheduler = scheduler;
        this.config = config;
        this.opening = new ClientOpening(handshake, config);
        this.handler = handler;
        end.reader(this);
        end.write(Transport.Kind.HANDSHAKE, opening.requestBytes(), null, null);
    }

    Session session() {
        return session;
    }

    /** Why the handshake failed, or null. */
    HandshakeException failure() {
        return failure;
    }

    @Override
    public void onBytes(ByteBuffer bytes) {
        if (session != null) {
            session.receive(bytes);
            return;
        }
        if (failure != null) {
            return;
        }
        step(opening.feed(bytes));
    }

    @Override
    public void onEndOfInput() {
        if (session != null) {
            session.endOfInput();
        } else if (failure == null) {
            step(opening.endOfInput());
        }
    }

    private void step(ClientOpening.Step step) {
        if (step instanceof ClientOpening.Failed failed) {
            failure = failed.cause();
            end.close();
        } else if (step instanceof ClientOpening.Open open) {
            session = new Session(Role.CLIENT, config, open.agreement(), handler, end, scheduler,
                    options);
            session.start();
            if (open.leftover().hasRemaining()) {
                session.receive(open.leftover());
            }
        }
    }
}
