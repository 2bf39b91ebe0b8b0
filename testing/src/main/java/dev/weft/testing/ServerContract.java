package dev.weft.testing;

import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What every Weft server transport answers on the wire, as checks a transport's tests run against
 * it: the same bytes in must get the same bytes, statuses, close codes and ends out, whatever moves
 * them. Each check starts the server under test with a configuration of its own, connects
 * {@link RawClient}s that write exactly the bytes the check says, and stops the server:
 *
 * <ul>
 * <li><b>upgrade</b>: a valid request gets 101 with the accept key of RFC 6455 §1.3; a missing or
 *     short key, a request without {@code Upgrade} or with {@code Connection} not naming it get 400,
 *     version 8 gets 426 with {@code Sec-WebSocket-Version: 13}, a POST 405, an unknown path 404, a
 *     head over {@code maxHandshakeHeadSize} 431 and garbage 400, each with
 *     {@code Connection: close} and the end of the connection;</li>
 * <li><b>messages</b>: masked text and binary messages of each length encoding echo byte for byte,
 *     whole, in fragments (a code point split between two), written a byte at a time, in the same
 *     write as the handshake, and batched with pings;</li>
 * <li><b>control</b> and <b>close</b>: a ping gets a pong with its payload; a close frame is
 *     answered with its code and the server then ends TCP; a close the handler starts ends TCP once
 *     answered;</li>
 * <li><b>violations</b>: an unmasked frame, a reserved opcode, an RSV bit with no extension, a
 *     fragmented or over-125-byte control frame, a continuation of nothing, a new message inside a
 *     fragmented one, a 64-bit length with its top bit set, an invalid close code or a one-byte
 *     close payload get 1002; invalid UTF-8 (found at once, before the message ends) 1007;</li>
 * <li><b>limits</b>: a message over {@code maxMessageSize}, a frame over {@code maxFrameSize} (or
 *     a header declaring one) and fragments over {@code maxFragmentsPerMessage} get 1009;</li>
 * <li><b>timeouts</b>: a silent peer is aborted at the idle timeout, a head that never completes is
 *     closed at the handshake timeout, a message that never ends gets 1008 at the message timeout, an
 *     unanswered close is aborted at the close timeout;</li>
 * <li><b>ends</b>: a peer that ends or resets TCP in the middle of a frame is reported to the
 *     handler as 1006 exactly once; a handler that throws closes its own connection with 1011 and no
 *     other.</li>
 * </ul>
 *
 * A close frame the server sends must be followed by the end of TCP, and the handler must see the
 * close frame's code. In every check, once the server has stopped, each connection's handler has
 * seen {@code onClose} exactly once. The checks wait with bounds (20 seconds at most, RawClient's
 * read timeout) and never on a clock: a timeout check only waits for its timeout to end the
 * connection, however long the server takes.
 *
 * <p>Each check is a {@link Check}; with JUnit 5, one dynamic test per check:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> keepsTheServerContract() {
 *     return ServerContract.of((config, handlers) -> {
 *                 MyServer server = MyServer.start(config, "/echo", handlers);
 *                 return ServerContract.Running.of(server.port(), server::close);
 *             })
 *             .checks().stream()
 *             .map(check -> DynamicTest.dynamicTest(check.name(), check::run));
 * }
 * }</pre>
 *
 * or all at once with {@link #verify()}.
 */
public final class ServerContract {

    /** The server transport under test: how to start one. */
    @FunctionalInterface
    public interface ServerUnderTest {

        /**
         * Starts a server on 127.0.0.1 (any free port) that serves WebSocket at {@code /echo} and
         * nothing else, with no HTTP responder.
         *
         * @param config every setting of the endpoint; each check passes its own, with extensions off
         * @param handlers a new handler for each accepted connection, as servers take them
         * @return the running server
         * @throws Exception if it cannot start, which fails the check
         */
        Running start(WebSocketConfig config, Supplier<? extends WebSocketHandler> handlers) throws Exception;
    }

    /** A started server under test. */
    public interface Running {

        /** The port it listens on, on 127.0.0.1. */
        int port();

        /**
         * Stops the server: when this returns, every callback the server will run has run (close
         * any connection still open, as a graceful shutdown does).
         */
        void stop() throws Exception;

        /** A running server listening on {@code port}, stopped by closing {@code server}. */
        static Running of(int port, AutoCloseable server) {
            Objects.requireNonNull(server);
            return new Running() {
                @Override
                public int port() {
                    return port;
                }

                @Override
                public void stop() throws Exception {
                    server.close();
                }
            };
        }
    }

    /** The configuration every check starts from: the defaults with no extensions. */
    private static final WebSocketConfig BASE = WebSocketConfig.builder().extensions(List.of()).build();

    private final ServerUnderTest server;

    private ServerContract(ServerUnderTest server) {
        this.server = server;
    }

    /** The contract for the servers {@code server} starts. */
    public static ServerContract of(ServerUnderTest server) {
        return new ServerContract(Objects.requireNonNull(server));
    }

    /** Every check, in order: upgrade, messages, control and close, violations, limits, timeouts, ends. */
    public List<Check> checks() {
        List<Check> checks = new ArrayList<>(Upgrades.checks(server, BASE));
        checks.addAll(Exchanges.checks(server, BASE));
        checks.addAll(Violations.checks(server, BASE));
        checks.addAll(Endings.checks(server, BASE));
        return List.copyOf(checks);
    }

    /**
     * Runs every check.
     *
     * @throws AssertionError naming each check that failed and why, with the failures suppressed in it
     */
    public void verify() {
        Check.runAll("the server breaks the server contract", checks());
    }
}
