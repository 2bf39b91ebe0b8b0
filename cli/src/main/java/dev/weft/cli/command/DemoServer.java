package dev.weft.cli.command;

import dev.weft.api.Connection;
import dev.weft.transport.blocking.BlockingWebSocketServer;
import dev.weft.transport.nio.TransportStats;
import dev.weft.transport.nio.WebSocketServer;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The server {@code weft serve} runs, whichever its transport: what the command starts, reports on
 * and stops. The two servers share no type, so this holds the calls it makes on either.
 */
final class DemoServer {

    private final String transport;
    private final Runnable start;
    private final Supplier<InetSocketAddress> localAddress;
    private final Supplier<Set<Connection>> connections;
    private final Consumer<Duration> shutdown;
    private final Optional<TransportStats> stats;

    private DemoServer(String transport, Runnable start, Supplier<InetSocketAddress> localAddress,
                       Supplier<Set<Connection>> connections, Consumer<Duration> shutdown, Optional<TransportStats> stats) {
        this.transport = transport;
        this.start = start;
        this.localAddress = localAddress;
        this.connections = connections;
        this.shutdown = shutdown;
        this.stats = stats;
    }

    /** {@code server}, running on {@code loops} event loops. */
    static DemoServer of(WebSocketServer server, int loops) {
        return new DemoServer("nio, " + loops + (loops == 1 ? " event loop" : " event loops"), server::start,
                server::localAddress, server::connections, server::shutdown, Optional.of(server.stats()));
    }

    /** {@code server}, with a thread per connection. */
    static DemoServer of(BlockingWebSocketServer server) {
        return new DemoServer("blocking, " + (server.onVirtualThreads() ? "virtual" : "platform") + " threads", server::start,
                server::localAddress, server::connections, server::shutdown, Optional.empty());
    }

    /**
     * Binds and starts accepting.
     *
     * @throws java.io.UncheckedIOException if the address cannot be bound
     */
    void start() {
        start.run();
    }

    /** Where it listens, once started. */
    InetSocketAddress localAddress() {
        return localAddress.get();
    }

    /** How many WebSocket connections are open now. */
    int openConnections() {
        return connections.get().size();
    }

    /** Closes every connection with 1001, waits up to {@code grace} for them, then stops. */
    void shutdown(Duration grace) {
        shutdown.accept(grace);
    }

    /** What it runs on, for the start-up line: {@code nio, 2 event loops} or {@code blocking, virtual threads}. */
    String transport() {
        return transport;
    }

    /** Its counters, on a transport that keeps them (NIO's). */
    Optional<TransportStats> stats() {
        return stats;
    }
}
