package dev.weft.interop;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeInterceptor;
import dev.weft.transport.blocking.BlockingWebSocketClient;
import dev.weft.transport.blocking.BlockingWebSocketServer;
import dev.weft.transport.nio.WebSocketClient;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.params.provider.Arguments;

import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The Weft transport a test runs on: NIO's event loops ({@code transport-nio}) or a thread per
 * connection ({@code transport-blocking}). Both run the same engine and the same
 * {@link WebSocketHandler}s, so every test here is written once and run on each, through a
 * {@link Server} and a {@link Client} that look the same whichever transport is behind them.
 */
enum WeftTransport {

    NIO("nio", "weft") {
        @Override
        Server serve(WebSocketConfig config, Endpoint... endpoints) {
            WebSocketServer.Builder builder = WebSocketServer.builder()
                    .bind("127.0.0.1", 0)
                    .config(config)
                    // Room in the write queue for a whole echoed message.
                    .transport(WeftEcho.transport(config.maxMessageSize()));
            for (Endpoint e : endpoints) {
                builder.endpoint(e.pattern(), e.handlers(), e.interceptors());
            }
            WebSocketServer server = builder.build().start();
            return new Server(server.port(), server::close);
        }

        @Override
        Client client(WebSocketConfig config) {
            WebSocketClient client = WebSocketClient.builder()
                    .config(config)
                    .transport(WeftEcho.transport(config.maxMessageSize()))
                    .build();
            return new Client() {
                @Override
                public CompletableFuture<Connection> connect(URI uri, WebSocketHandler handler) {
                    return client.connect(uri, handler);
                }

                @Override
                public void close() {
                    client.close();
                }
            };
        }
    },

    BLOCKING("blocking", "weft-blocking") {
        @Override
        Server serve(WebSocketConfig config, Endpoint... endpoints) {
            // Writes go straight to the socket: no write queue to make room in.
            BlockingWebSocketServer.Builder builder = BlockingWebSocketServer.builder()
                    .bind("127.0.0.1", 0)
                    .config(config);
            for (Endpoint e : endpoints) {
                builder.endpoint(e.pattern(), e.handlers(), e.interceptors());
            }
            BlockingWebSocketServer server = builder.build().start();
            return new Server(server.port(), server::close);
        }

        @Override
        Client client(WebSocketConfig config) {
            BlockingWebSocketClient client = BlockingWebSocketClient.builder().config(config).build();
            return new Client() {
                /** Connects on the calling thread, as the blocking client does: the future is done when it returns. */
                @Override
                public CompletableFuture<Connection> connect(URI uri, WebSocketHandler handler) {
                    try {
                        return CompletableFuture.completedFuture(client.connect(uri, handler));
                    } catch (IOException | RuntimeException e) {
                        return CompletableFuture.failedFuture(e);
                    }
                }

                @Override
                public void close() {
                    // Nothing held: each connection's thread ends with its connection.
                }
            };
        }
    };

    /** A name for paths, such as {@code target/autobahn/nio/}. */
    final String id;
    /** The name the Autobahn|Testsuite files this transport's results under. */
    final String agent;

    WeftTransport(String id, String agent) {
        this.id = id;
        this.agent = agent;
    }

    /** A started server with {@code endpoints} on 127.0.0.1 and an ephemeral port. */
    abstract Server serve(WebSocketConfig config, Endpoint... endpoints);

    /** A client with {@code config}. */
    abstract Client client(WebSocketConfig config);

    /** An endpoint: a path pattern ({@code /echo}, {@code /*}), a handler per connection, its own interceptors. */
    record Endpoint(String pattern, Supplier<? extends WebSocketHandler> handlers,
                    HandshakeInterceptor... interceptors) {

        /** A plain echo ({@link WeftEcho} without its commands) at {@code pattern}. */
        static Endpoint echo(String pattern) {
            return new Endpoint(pattern, () -> new WeftEcho(false));
        }
    }

    /** A running server of either transport. */
    record Server(int port, Runnable stop) implements AutoCloseable {

        /** {@code ws://127.0.0.1:PORT} and {@code path}. */
        URI uri(String path) {
            return URI.create("ws://127.0.0.1:" + port + path);
        }

        @Override
        public void close() {
            stop.run();
        }
    }

    /** A client of either transport; its connections' handlers are called as that transport calls them. */
    interface Client extends AutoCloseable {

        /** Opens a connection to {@code uri} for {@code handler}; the future fails if it cannot open. */
        CompletableFuture<Connection> connect(URI uri, WebSocketHandler handler);

        @Override
        void close();
    }

    /** Each transport with each of {@code values}: arguments for a test with a second parameter. */
    static Stream<Arguments> withEach(Object... values) {
        return Arrays.stream(values()).flatMap(t -> Arrays.stream(values).map(v -> Arguments.of(t, v)));
    }
}
