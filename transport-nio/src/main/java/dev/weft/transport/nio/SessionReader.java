package dev.weft.transport.nio;

import dev.weft.core.session.Session;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Hands a connection's input to its session once the opening handshake is over. */
final class SessionReader implements NioConnection.Reader {

    private final Session session;

    SessionReader(Session session) {
        this.session = session;
    }

    @Override
    public void onBytes(ByteBuffer bytes) {
        session.receive(bytes);
    }

    @Override
    public void onEndOfInput() {
        session.endOfInput();
    }

    @Override
    public void onFailure(IOException cause) {
        session.transportFailed(cause);
    }
}
