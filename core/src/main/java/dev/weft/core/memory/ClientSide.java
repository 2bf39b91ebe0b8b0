package dev.weft.core.memory;

import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.core.frame.MaskKeySource;
import dev.weft.core.handshake.Agreement;
import dev.weft.core.handshake.ClientHandshake;
import dev.weft.core.handshake.HttpHeadParser;
import dev.weft.core.session.MemoryBudget;
import dev.weft.core.session.Session;
import dev.weft.core.session.SessionOptions;
import dev.weft.core.session.Transport;

import java.nio.ByteBuffer;

/**
 * The client end of an in-memory connection: sends the upgrade request, checks the response, then
 * hands every later byte to a client {@link Session}. Frames that arrive with the response head
 * are not lost.
 */
final class ClientSide implements MemoryEnd.Reader {

    private final MemoryEnd end;
    private final ManualScheduler scheduler;
    private final WebSocketConfig config;
    private final ClientHandshake handshake;
    private final WebSocketHandler handler;
    private final MaskKeySource maskKeys;
    private final HttpHeadParser parser;
    private Session session;
    /** What the session's memory is charged to, or null for no budget. */
    MemoryBudget budget;
    private HandshakeException failure;

    ClientSide(MemoryEnd end, ManualScheduler scheduler, WebSocketConfig config, ClientHandshake handshake,
               WebSocketHandler handler, MaskKeySource maskKeys) {
        this.end = end;
        this.scheduler = scheduler;
        this.config = config;
        this.handshake = handshake;
        this.handler = handler;
        this.maskKeys = maskKeys;
        this.parser = HttpHeadParser.forResponse(config.maxHandshakeHeadSize(), config.maxHandshakeHeaders());
        end.reader(this);
        end.write(Transport.Kind.HANDSHAKE, handshake.requestBytes(), null, null);
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
        Agreement agreement;
        try {
            if (!parser.parse(bytes)) {
                return;
            }
            agreement = handshake.accept(parser.response());
        } catch (HandshakeException e) {
            failure = e;
            end.close();
            return;
        }
        session = new Session(Role.CLIENT, config, agreement, handler, end, scheduler,
                SessionOptions.DEFAULT.budget(budget).maskKeys(maskKeys));
        session.start();
        if (bytes.hasRemaining()) {
            session.receive(bytes);
        }
    }

    @Override
    public void onEndOfInput() {
        if (session != null) {
            session.endOfInput();
        } else {
            if (failure == null) {
                failure = new HandshakeException(0, "the server closed the connection during the handshake");
            }
            end.close();
        }
    }
}
