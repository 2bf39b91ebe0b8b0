package dev.weft.cli.command;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.Headers;
import dev.weft.api.reconnect.Reconnect;
import dev.weft.transport.blocking.BlockingWebSocketClient;
import dev.weft.transport.nio.WebSocketClient;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.ExecutionException;

/**
 * How a client command opens its connections, the same way on either transport: the handler it
 * gives runs on the NIO client's event loop or on a connection thread of the blocking client.
 */
interface Dialer extends AutoCloseable {

    /**
     * Connects to {@code uri} and hands the connection to {@code handler}.
     *
     * @return the connection, once open
     * @throws ExecutionException if it could not be opened; its cause says why (a refused
     *     handshake, a connection refused, a URI that is not a WebSocket URI...)
     */
    Connection connect(URI uri, Headers headers, WebSocketHandler handler) throws ExecutionException, InterruptedException;

    /**
     * Connects to {@code uri} and opens it again each time it drops, as {@code reconnect} says.
     *
     * @return the connection, once one attempt has opened it
     * @throws ExecutionException if {@code reconnect} gave up before that; its cause says why
     */
    Connection connect(URI uri, Headers headers, WebSocketHandler handler, Reconnect reconnect)
            throws ExecutionException, InterruptedException;

    /** Stops what the client started (the NIO client's event loop). */
    @Override
    void close();

    /** Connects through {@code client}, which closing this closes. */
    static Dialer of(WebSocketClient client) {
        return new Dialer() {
            @Override
            public Connection connect(URI uri, Headers headers, WebSocketHandler handler)
                    throws ExecutionException, InterruptedException {
                return client.connect(uri, headers, handler).get();
            }

            @Override
            public Connection connect(URI uri, Headers headers, WebSocketHandler handler, Reconnect reconnect)
                    throws ExecutionException, InterruptedException {
                return client.connect(uri, headers, handler, reconnect).get();
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    /** Connects through {@code client}, whose connection threads end with their connections. */
    static Dialer of(BlockingWebSocketClient client) {
        return new Dialer() {
            @Override
            public Connection connect(URI uri, Headers headers, WebSocketHandler handler) throws ExecutionException {
                try {
                    return client.connect(uri, headers, handler);
                } catch (IOException | RuntimeException e) {
                    // As the NIO client's future would fail, so both are reported alike.
                    throw new ExecutionException(e);
                }
            }

            @Override
            public Connection connect(URI uri, Headers headers, WebSocketHandler handler, Reconnect reconnect)
                    throws ExecutionException {
                try {
                    return client.connect(uri, headers, handler, reconnect);
                } catch (IOException | RuntimeException e) {
                    throw new ExecutionException(e);
                }
            }

            @Override
            public void close() {
                // Nothing to stop: no loop, and each connection's thread is its own.
            }
        };
    }
}
