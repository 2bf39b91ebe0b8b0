package dev.weft.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server kit itself, against servers that break it (the transports' own tests run it against
 * real servers: testing cannot depend on a transport).
 */
class ServerContractTest {

    /** A "server" that closes every connection as soon as it accepts it. */
    private static final class ClosesAtOnce {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Thread acceptor = new Thread(this::accept, "closes-at-once");

        ClosesAtOnce() throws IOException {
            acceptor.start();
        }

        private void accept() {
            while (true) {
                try (Socket s = socket.accept()) {
                    s.setSoLinger(false, 0);
                } catch (IOException stopped) {
                    return;
                }
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        void stop() throws IOException, InterruptedException {
            socket.close();
            acceptor.join();
        }
    }

    @Test
    void checksAreNamedOnceEachAfterWhatTheyCheck() {
        List<String> names = ServerContract.of((config, handlers) -> {
            throw new AssertionError("not started to list the checks");
        }).checks().stream().map(Check::name).toList();
        assertEquals(names.size(), new HashSet<>(names).size(), "no two checks share a name: " + names);
        for (String category : List.of("upgrade: ", "messages: ", "control: ", "close: ", "violations: ", "limits: ",
                "timeouts: ", "ends: ")) {
            assertTrue(names.stream().anyMatch(n -> n.startsWith(category)), category + " in " + names);
        }
        assertTrue(names.contains("violations: an unmasked frame gets 1002"), names.toString());
        assertTrue(names.contains("upgrade: Sec-WebSocket-Version 8 gets 426 and the connection ends"), names.toString());
    }

    @Test
    void aServerThatClosesEveryConnectionAtOnceFailsAllButTheHandshakeTimeouts() {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger stopped = new AtomicInteger();
        ServerContract contract = ServerContract.of((config, handlers) -> {
            started.incrementAndGet();
            ClosesAtOnce server = new ClosesAtOnce();
            return ServerContract.Running.of(server.port(), () -> {
                stopped.incrementAndGet();
                server.stop();
            });
        });
        int checks = contract.checks().size();
        AssertionError e = assertThrows(AssertionError.class, contract::verify);
        List<String> failed = e.getMessage().lines().skip(1).toList();
        assertEquals(checks - 2, failed.size(), e.getMessage());
        assertTrue(failed.stream().noneMatch(l -> l.contains("handshakeTimeout")), "a server that closes at once "
                + "does close a head that never completes: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("the server breaks the server contract:\n"), e.getMessage());
        assertEquals(checks - 2, e.getSuppressed().length);
        assertEquals(checks, started.get());
        assertEquals(checks, stopped.get(), "every server started is stopped");
    }

    @Test
    void aServerThatCannotStartFailsEveryCheckWithWhy() {
        ServerContract contract = ServerContract.of((config, handlers) -> {
            throw new IOException("no port today");
        });
        AssertionError e = assertThrows(AssertionError.class, contract::verify);
        assertEquals(contract.checks().size(), e.getMessage().lines().filter(l -> l.endsWith("no port today")).count(),
                e.getMessage());
    }
}
