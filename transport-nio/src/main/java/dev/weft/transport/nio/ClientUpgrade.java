package dev.weft.transport.nio;

import dev.weft.api.Connection;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.core.handshake.Agreement;
import dev.weft.core.handshake.ClientHandshake;
import dev.weft.core.handshake.HttpHeadParser;
import dev.weft.core.session.Scheduler;
import dev.weft.core.session.Session;
import dev.weft.core.session.Transport;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The opening handshake of one client connection: sends the request once TCP is connected, checks
 * the response, and on success hands the connection to a new session (with any frames that came
 * with the response) and completes the caller's future.
 */
final class ClientUpgrade implements NioConnection.Reader {

    private final WebSocketClient client;
    private final NioConnection connection;
    private final ClientHandshake handshake;
    private final WebSocketHandler handler;
    private final CompletableFuture<Connection> result;
    private final HttpHeadParser parser;
    private Scheduler.Timer timeout;

    ClientUpgrade(WebSocketClient client, NioConnection connection, ClientHandshake handshake,
                  WebSocketHandler handler, CompletableFuture<Connection> result) {
        this.client = client;
        this.connection = connection;
        this.handshake = handshake;
        this.handler = handler;
        this.result = result;
        WebSocketConfig config = client.config();
        this.parser = HttpHeadParser.forResponse(config.maxHandshakeHeadSize(), config.maxHandshakeHeaders());
    }

    /** TCP is connected: the handshake timeout starts (it covers a TLS handshake too). */
    void tcpConnected() {
        timeout = connection.loop().schedule(() -> fail(new HandshakeException(0,
                "no handshake response within " + client.config().handshakeTimeout())),
                client.config().handshakeTimeout().toNanos());
    }

    /** The network layer is ready (a TLS handshake, if any, is done): send the upgrade request. */
    void applicationOpen() {
        connection.write(Transport.Kind.HANDSHAKE, handshake.requestBytes(), null, null);
    }

    @Override
    public void onBytes(ByteBuffer bytes) {
        if (result.isDone()) {
            bytes.position(bytes.limit());
            return;
        }
        Agreement agreement;
        try {
            if (!parser.parse(bytes)) {
                return;
            }
            agreement = handshake.accept(parser.response());
        } catch (HandshakeException e) {
            fail(e);
            return;
        }
        timeout.cancel();
        Session session = new Session(Role.CLIENT, client.config(), agreement, handler, connection, connection.loop(),
                client.sessionOptions());
        connection.session(session);
        connection.reader(new SessionReader(session));
        session.start();
        result.complete(session.connection());
        if (bytes.hasRemaining()) {
            session.receive(bytes);
        }
    }

    @Override
    public void onEndOfInput() {
        fail(new HandshakeException(0, "the server closed the connection during the opening handshake"));
    }

    @Override
    public void onFailure(IOException cause) {
        fail(cause);
    }

    /** Fails the connection attempt (before a session exists). */
    void fail(Throwable cause) {
        if (timeout != null) {
            timeout.cancel();
        }
        if (result.completeExceptionally(cause)) {
            connection.abort();
        }
    }

    /** The connect timeout passed before TCP connected. */
    void connectTimedOut() {
        fail(new SocketTimeoutException("connect timed out after " + client.transportConfig().connectTimeout()));
    }
}
