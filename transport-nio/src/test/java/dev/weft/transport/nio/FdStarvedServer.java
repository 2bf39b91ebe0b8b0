package dev.weft.transport.nio;

import dev.weft.api.WebSocketConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An echo server on one event loop, run by {@link AcceptBackOffTest} in a child JVM that has few
 * file descriptors. It prints {@code port N}, then answers each line on standard input with its
 * counters: {@code ACCEPT_FAILURES CONNECTIONS_OPEN CONNECTIONS_TOTAL}. It stops at end of input.
 */
final class FdStarvedServer {

    private FdStarvedServer() {
    }

    public static void main(String[] args) throws IOException {
        // Connections that send nothing stay until the test closes them, however slow the machine.
        WebSocketConfig config = Echo.CONFIG.toBuilder().handshakeTimeout(Duration.ofMinutes(5)).build();
        try (WebSocketServer server = Echo.builder().threads(1).config(config).build().start()) {
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            System.out.println("port " + server.port());
            System.out.flush();
            while (commands.readLine() != null) {
                TransportStats stats = server.stats();
                System.out.println(stats.acceptFailures() + " " + stats.connectionsOpen() + " " + stats.connectionsTotal());
                System.out.flush();
            }
        }
    }
}
