package dev.weft.transport.nio.client;

import dev.weft.api.Connection;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.core.handshake.ClientHandshake;
import dev.weft.core.handshake.ClientOpening;
import dev.weft.core.session.Scheduler;
import dev.weft.core.session.Session;
import dev.weft.core.session.SessionOptions;
import dev.weft.core.session.Transport;

import dev.weft.transport.nio.loop.NioConnection;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The opening handshake of one client connection, run by a {@link ClientOpening} driver: sends the
 * request once the network layer is open, checks the response, and on success hands the connection
 * to a new session (with any frames that came with the response) and completes the caller's future.
 */
public final class ClientUpgrade implements NioConnection.Opening {

    private final NioConnection connection;
    private final WebSocketConfig config;
    private final SessionOptions options;
    private final ClientOpening opening;
    private final WebSocketHandler handler;
    private final CompletableFuture<Connection> result;
    private final Scheduler.Timer connectTimeout;
    private Scheduler.Timer timeout;

    /**
     * @param config the client's configuration: head limits and the handshake timeout
     * @param options what the session is given
     * @param connectWithin how long TCP may take to connect
     * @param result completes with the open connection, or with why the handshake failed
     */
    public ClientUpgrade(NioConnection connection, WebSocketConfig config, SessionOptions options,
                         ClientHandshake handshake, WebSocketHandler handler, Duration connectWithin,
                         CompletableFuture<Connection> result) {
        this.connection = connection;
        this.config = config;
        this.options = options;
        this.opening = new ClientOpening(handshake, config);
        this.handler = handler;
        this.result = result;
        this.connectTimeout = connection.loop().schedule(
                () -> fail(new SocketTimeoutException("connect timed out after " + connectWithin)),
                connectWithin.toNanos());
    }

    /** TCP is connected: the handshake timeout starts (it covers a TLS handshake too). */
    @Override
    public void connected() {
        connectTimeout.cancel();
        timeout = connection.loop().schedule(() -> fail(new HandshakeException(0,
                "no handshake response within " + config.handshakeTimeout())), config.handshakeTimeout().toNanos());
    }

    /** The network layer is ready (a TLS handshake, if any, is done): send the upgrade request. */
    @Override
    public void applicationOpen() {
        connection.write(Transport.Kind.HANDSHAKE, opening.requestBytes(), null, null);
    }

    @Override
    public void onBytes(ByteBuffer bytes) {
        if (result.isDone()) {
            bytes.position(bytes.limit());
            return;
        }
        ClientOpening.Step step = opening.feed(bytes);
        if (step instanceof ClientOpening.NeedMore) {
            return;
        }
        if (step instanceof ClientOpening.Failed failed) {
            fail(failed.cause());
            return;
        }
        ClientOpening.Open open = (ClientOpening.Open) step;
        timeout.cancel();
        Session session = new Session(Role.CLIENT, config, open.agreement(), handler, connection, connection.loop(),
                options);
        connection.upgraded(session);
        session.start();
        result.complete(session.connection());
        if (open.leftover().hasRemaining()) {
            session.receive(open.leftover());
        }
    }

    @Override
    public void onEndOfInput() {
        if (!result.isDone()) {
            fail(opening.endOfInput().cause());
        }
    }

    @Override
    public void onFailure(IOException cause) {
        fail(cause);
    }

    /** Fails the connection attempt (before a session exists). */
    private void fail(Throwable cause) {
        connectTimeout.cancel();
        if (timeout != null) {
            timeout.cancel();
        }
        if (result.completeExceptionally(cause)) {
            connection.abort();
        }
    }
}
