package dev.weft.transport.nio;

import dev.weft.testing.RawClient;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A server out of file descriptors: run in a child JVM whose limit {@code ulimit -n} lowered, it
 * is given connections until accepting fails. Accepting must then back off rather than spin the
 * loop, and resume once descriptors are free again.
 */
class AcceptBackOffTest {

    private static final int FD_LIMIT = 128;
    private static final int ECHOES = 200;

    /** The child's counters, as it prints them. */
    private record Counters(long acceptFailures, long open, long total) {
    }

    @Test
    void acceptingBacksOffWhileOutOfFileDescriptorsAndResumes(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
        Path log = dir.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder("/bin/bash", "-c",
                "ulimit -n " + FD_LIMIT + " && exec \"$0\" -cp \"$1\" " + FdStarvedServer.class.getName(),
                java, System.getProperty("java.class.path"))
                .redirectError(log.toFile())
                .start();
        List<RawClient> held = new ArrayList<>();
        long failures;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
             PrintStream commands = new PrintStream(child.getOutputStream(), true, StandardCharsets.US_ASCII)) {
            String first = out.readLine();
            assertNotNull(first, "the child did not start; see " + log);
            int port = Integer.parseInt(first.substring("port ".length()));
            Child server = new Child(out, commands);

            try (RawClient neighbour = RawClient.upgraded(port)) {
                echo(neighbour);
                // One connection at a time, until one cannot be accepted even when tried again:
                // then the server is out of descriptors for good (the JVM may hold one for a
                // moment and fail an accept that a retry gets through), and exactly one waits in
                // the backlog.
                Counters c;
                do {
                    assertTrue(held.size() < FD_LIMIT, "accepting never failed under ulimit -n " + FD_LIMIT);
                    held.add(new RawClient(port));
                    long accepted = 1 + held.size();
                    long failed = server.counters().acceptFailures();
                    c = server.await(now -> now.total() == accepted || now.acceptFailures() >= failed + 2);
                } while (c.total() == 1 + held.size());

                // A spinning loop tries to accept on every turn, and each echo takes a turn of the
                // server's only loop; backing off, it tries once per back-off delay (100 ms to 1 s).
                long before = server.counters().acceptFailures();
                for (int i = 0; i < ECHOES; i++) {
                    echo(neighbour);
                }
                long during = server.counters().acceptFailures() - before;
                assertTrue(during < ECHOES / 4, during + " accept attempts during " + ECHOES + " echoes");

                for (RawClient h : held) {
                    h.close();
                }
                long all = 1 + held.size();
                server.await(now -> now.total() == all && now.open() == 1);
                try (RawClient probe = RawClient.upgraded(port)) {
                    echo(probe);
                }
                echo(neighbour);
                failures = server.counters().acceptFailures();
            }
        } finally {
            for (RawClient h : held) {
                h.close();
            }
            child.getOutputStream().close();
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        // Each episode opens with one warning and ends with one notice, however often it failed.
        // (Usually one episode; the JVM holding a descriptor for a moment can make two.)
        List<String> lines = Files.readAllLines(log);
        long warnings = lines.stream().filter(l -> l.startsWith("WARNING: cannot accept connections (Too many open files)")).count();
        long recoveries = lines.stream().filter(l -> l.startsWith("INFO: accepting connections again after")).count();
        assertTrue(warnings >= 1, String.join("\n", lines));
        assertEquals(warnings, recoveries, String.join("\n", lines));
        assertTrue(warnings < failures, warnings + " warnings for " + failures + " failures");
    }

    private static void echo(RawClient client) throws IOException {
        client.send(client.frame(true, Opcode.TEXT, "ping".getBytes(StandardCharsets.UTF_8)));
        Frame echoed = client.readFrame();
        assertEquals(Opcode.TEXT, echoed.opcode());
        assertEquals("ping", StandardCharsets.UTF_8.decode(echoed.payload()).toString());
    }

    /** Asks the child for its counters over its standard input and output. */
    private record Child(BufferedReader out, PrintStream commands) {

        Counters counters() throws IOException {
            commands.println("counters");
            String line = out.readLine();
            assertNotNull(line, "the child ended");
            String[] f = line.split(" ");
            return new Counters(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
        }

        /** Asks until {@code condition} holds, with a bound: the child's loop moves on its own. */
        Counters await(Predicate<Counters> condition) throws IOException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Counters c = counters();
            while (!condition.test(c)) {
                assertTrue(System.nanoTime() < deadline, "the child's counters stayed at " + c);
                c = counters();
            }
            return c;
        }
    }
}
