package dev.weft.metrics.micrometer;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.metrics.WebSocketMetrics;
import dev.weft.testing.Recorder;
import dev.weft.transport.blocking.BlockingWebSocketServer;
import dev.weft.transport.nio.TransportConfig;
import dev.weft.transport.nio.WebSocketClient;
import dev.weft.transport.nio.WebSocketServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The figures a registry holds after traffic scripted over real sockets, on either server transport. */
class MicrometerMetricsTest {

    private final SimpleMeterRegistry serverRegistry = new SimpleMeterRegistry();
    private final SimpleMeterRegistry clientRegistry = new SimpleMeterRegistry();
    /** The server's end of each connection, in the order they opened. */
    private final List<Recorder> serverEnds = new CopyOnWriteArrayList<>();
    private final Supplier<WebSocketHandler> recorded = () -> {
        Recorder end = Recorder.echoing();
        serverEnds.add(end);
        return end;
    };

    @Test
    void theNioServerReportsItsTrafficByEndpoint() throws Exception {
        WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1)
                .transport(TransportConfig.builder().memoryBudget(1 << 20).build())
                .metrics(MicrometerMetrics.of(serverRegistry))
                .endpoint("/echo", recorded)
                .endpoint("/chat/*", recorded)
                .build().start();
        try {
            script(server.port());
        } finally {
            server.close();
        }
        assertServerFigures();
        assertEquals(1 << 20, (long) serverRegistry.get("weft.budget.limit").gauge().value());
    }

    @Test
    void theBlockingServerReportsTheSameFigures() throws Exception {
        BlockingWebSocketServer server = BlockingWebSocketServer.builder().memoryBudget(1 << 20)
                .metrics(MicrometerMetrics.of(serverRegistry))
                .endpoint("/echo", recorded)
                .endpoint("/chat/*", recorded)
                .build().start();
        try {
            script(server.port());
        } finally {
            server.close();
        }
        assertServerFigures();
        assertEquals(1 << 20, (long) serverRegistry.get("weft.budget.limit").gauge().value());
    }

    @Test
    void closeCodesAreTaggedByThemselvesWhenStandardElseByClass() {
        assertEquals("1000", MicrometerMetrics.codeTag(CloseCodes.NORMAL_CLOSURE));
        assertEquals("1015", MicrometerMetrics.codeTag(1015));
        assertEquals("3xxx", MicrometerMetrics.codeTag(3000));
        assertEquals("4xxx", MicrometerMetrics.codeTag(4999));
        assertEquals("other", MicrometerMetrics.codeTag(2000));
    }

    @Test
    void aListenerPairedWithAnotherTellsBoth() {
        MeterRegistry other = new SimpleMeterRegistry();
        WebSocketMetrics both = MicrometerMetrics.of(serverRegistry).andThen(MicrometerMetrics.of(other));

        both.opened(dev.weft.api.Role.SERVER, "/echo").messageReceived();

        assertEquals(1, serverRegistry.get("weft.messages.received").counter().count());
        assertEquals(1, other.get("weft.messages.received").counter().count());
    }

    /**
     * Three messages echoed on {@code /echo} and a normal close by the client; two connections
     * under {@code /chat/*}, one closed by the client with 4001 and one by the server with 1001;
     * and an upgrade to a path with no endpoint, refused with 404.
     */
    private void script(int port) throws Exception {
        try (WebSocketClient client = WebSocketClient.builder().metrics(MicrometerMetrics.of(clientRegistry)).build()) {
            Recorder echo = Recorder.recording();
            Connection c = client.connect(URI.create("ws://127.0.0.1:" + port + "/echo"), echo).get(10, TimeUnit.SECONDS);
            for (String text : List.of("a", "b", "c")) {
                c.sendText(text);
                assertEquals(text, echo.nextText());
            }
            c.close(CloseCodes.NORMAL_CLOSURE, "done");
            echo.awaitClose();

            Recorder one = Recorder.recording();
            Recorder two = Recorder.recording();
            client.connect(URI.create("ws://127.0.0.1:" + port + "/chat/one"), one).get(10, TimeUnit.SECONDS)
                    .close(4001, "left");
            one.awaitClose();
            client.connect(URI.create("ws://127.0.0.1:" + port + "/chat/two"), two).get(10, TimeUnit.SECONDS);
            serverEnds.get(2).awaitOpen().close(CloseCodes.GOING_AWAY, "bye");
            two.awaitClose();
        }
        for (Recorder end : serverEnds) {
            end.awaitClose(); // counted before the handler hears of it
        }
        assertEquals("HTTP/1.1 404", upgradeTo(port, "/nowhere").substring(0, 12));
    }

    private void assertServerFigures() {
        assertEquals(1, count("weft.connections.opened", "role", "server", "endpoint", "/echo"));
        assertEquals(2, count("weft.connections.opened", "endpoint", "/chat/*"), "one series for every room");
        assertEquals(3, count("weft.messages.received", "endpoint", "/echo"));
        assertEquals(3, count("weft.messages.sent", "endpoint", "/echo"));
        assertEquals(1, count("weft.connections.closed", "endpoint", "/echo", "code", "1000", "side", "remote"));
        assertEquals(1, count("weft.connections.closed", "endpoint", "/chat/*", "code", "4xxx", "side", "remote"));
        assertEquals(1, count("weft.connections.closed", "endpoint", "/chat/*", "code", "1001", "side", "local"));
        assertEquals(0, serverRegistry.get("weft.connections.active").tags("endpoint", "/echo").gauge().value());
        assertEquals(1, count("weft.handshakes.refused", "status", "404"));
        assertTrue(count("weft.network.received") > 0);
        assertTrue(count("weft.network.sent") > 0);
        awaitTrue(() -> serverRegistry.get("weft.write.queue.peak").tags("endpoint", "/echo").summary().count() == 1,
                "the echo connection's high-water mark, recorded as its socket closes");
        assertEquals(0, serverRegistry.find("weft.connections.opened").tags("endpoint", "/chat/one").counters().size(),
                "never the raw path");

        assertEquals(3, clientRegistry.get("weft.connections.opened").tags("role", "client", "endpoint", "none")
                .counter().count());
        assertEquals(3, clientRegistry.get("weft.messages.sent").counter().count());
        assertEquals(1, clientRegistry.get("weft.connections.closed").tags("code", "1001", "side", "remote")
                .counter().count());
    }

    private double count(String name, String... tags) {
        return serverRegistry.get(name).tags(tags).counter().count();
    }

    /** Sends an upgrade request for {@code path} on a raw socket; returns the response's first line. */
    private static String upgradeTo(int port, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) != -1 && b != '\r'; ) {
                line.append((char) b);
            }
            return line.toString();
        }
    }

    /** Waits, bounded, for what a server's thread reaches with nothing to signal it. */
    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not reached within 20 s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }
}
