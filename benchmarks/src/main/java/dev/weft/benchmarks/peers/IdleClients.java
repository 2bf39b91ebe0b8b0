package dev.weft.benchmarks.peers;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.transport.nio.WebSocketClient;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens N WebSocket connections to a server and holds them idle, for reading what a server spends
 * per idle connection: {@code IdleClients URL N}. Prints {@code open K} on standard output once K
 * of them are open (the rest failed, and the first failure goes to standard error), then holds
 * them until standard input ends, and exits. Uses Weft's client with no extensions, the same for
 * every server measured; keepalive and idle timeouts are off so nothing but the connections
 * themselves is measured.
 */
public final class IdleClients {

    private static final int CONCURRENT_HANDSHAKES = 200;

    private IdleClients() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: IdleClients URL N");
            System.exit(2);
        }
        URI url = URI.create(args[0]);
        int count = Integer.parseInt(args[1]);
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of())
                .idleTimeout(Duration.ZERO).keepAliveInterval(Duration.ZERO).build();
        try (WebSocketClient client = WebSocketClient.builder().threads(2).config(config).build()) {
            Semaphore handshakes = new Semaphore(CONCURRENT_HANDSHAKES);
            List<CompletableFuture<Connection>> opening = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                handshakes.acquire();
                CompletableFuture<Connection> c = client.connect(url, new WebSocketHandler() { });
                c.whenComplete((connection, failure) -> handshakes.release());
                opening.add(c);
            }
            int open = 0;
            Throwable first = null;
            for (CompletableFuture<Connection> c : opening) {
                try {
                    c.get(30, TimeUnit.SECONDS);
                    open++;
                } catch (ExecutionException | TimeoutException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                System.err.println((count - open) + " connections failed; the first: " + first);
            }
            System.out.println("open " + open);
            System.out.flush();
            while (System.in.read() >= 0) {
                // Hold until standard input ends.
            }
        }
    }
}
