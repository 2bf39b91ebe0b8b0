package dev.weft.cli.command;

import dev.weft.testing.Relay;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.Test;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;

import static dev.weft.cli.command.CliRun.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code weft connect --reconnect} under a server that is stopped and started again behind a {@link Relay}, which keeps its port. */
class ConnectReconnectTest {

    private static WebSocketServer echoServer() {
        return WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).endpoint("/echo", request -> EchoHandler.SHARED)
                .build().start();
    }

    @Test
    void connectComesBackAfterTheServerRestartsAndSaysSoOnStandardError() throws Exception {
        WebSocketServer first = echoServer();
        try (Relay relay = Relay.to(first.port())) {
            String url = "ws://127.0.0.1:" + relay.port() + "/echo";
            PipedOutputStream types = new PipedOutputStream();
            CliRun connect = CliRun.start(new PipedInputStream(types), "connect", "--reconnect", url);
            connect.err.awaitStartingWith("connected to " + url, WAIT);
            types.write("one\n".getBytes(StandardCharsets.UTF_8));
            types.flush();
            connect.out.await("one"::equals, WAIT);

            relay.refuse();
            first.close();
            connect.err.awaitStartingWith("reconnecting to " + url + ": attempt 1 in ", WAIT);
            try (WebSocketServer second = echoServer()) {
                relay.forwardTo(second.port());
                connect.err.awaitStartingWith("reconnected to " + url, WAIT);
                types.write("two\n".getBytes(StandardCharsets.UTF_8));
                types.flush();
                connect.out.await("two"::equals, WAIT);
                types.close();
                assertEquals(0, connect.exitCode(), connect.err.text());
            }
        }
    }
}
