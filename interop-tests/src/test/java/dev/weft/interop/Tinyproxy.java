package dev.weft.interop;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A private instance of Debian's tinyproxy, an HTTP proxy nobody here wrote: on 127.0.0.1 and a free
 * port, allowing CONNECT to the ports a test names only, optionally with Basic credentials, in the
 * foreground with its log on standard output, which is kept for the test to read. Stopped by its
 * own process. {@code .ci/run} installs it; with {@code CI=true} a missing tinyproxy fails the test.
 */
final class Tinyproxy implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String READY = "Accepting connections";

    private final Process process;
    private final int port;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private Tinyproxy(Process process, int port) {
        this.process = process;
        this.port = port;
        Thread reader = new Thread(this::readLog, "tinyproxy-log");
        reader.setDaemon(true);
        reader.start();
    }

    /** Skips the calling test without tinyproxy, or fails it on CI, where .ci/run installs it. */
    static void needed() {
        boolean present = Files.isExecutable(Path.of("/usr/sbin/tinyproxy")) || Files.isExecutable(Path.of("/usr/bin/tinyproxy"));
        String why = "tinyproxy is needed: 'apt-get install tinyproxy' (.ci/run does)";
        // On CI a missing peer is a broken build, not a reason to skip.
        if ("true".equals(System.getenv("CI"))) {
            Assertions.assertTrue(present, why);
        }
        Assumptions.assumeTrue(present, why);
    }

    /**
     * Starts tinyproxy in {@code directory}, allowing CONNECT to {@code connectPorts} only.
     *
     * @param basicAuth {@code user password} it asks for (407 without), or null for none
     */
    static Tinyproxy start(Path directory, String basicAuth, int... connectPorts) throws IOException {
        int port = freePort();
        StringBuilder config = new StringBuilder()
                .append("Port ").append(port).append('\n')
                .append("Listen 127.0.0.1\n")
                .append("Allow 127.0.0.1\n")
                .append("Timeout 60\n")
                .append("MaxClients 50\n")
                // Info tells when it listens, and every request line it read.
                .append("LogLevel Info\n");
        for (int p : connectPorts) {
            config.append("ConnectPort ").append(p).append('\n');
        }
        if (basicAuth != null) {
            config.append("BasicAuth ").append(basicAuth).append('\n');
        }
        Path file = directory.resolve("tinyproxy-" + port + ".conf");
        Files.writeString(file, config);
        // -d: in the foreground, logging to standard output.
        Process process = new ProcessBuilder("tinyproxy", "-d", "-c", file.toString()).redirectErrorStream(true).start();
        Tinyproxy proxy = new Tinyproxy(process, port);
        proxy.awaitLog(READY);
        return proxy;
    }

    int port() {
        return port;
    }

    /**
     * Waits until tinyproxy has logged a line containing {@code text}.
     *
     * @throws AssertionError if it does not within 20 seconds, with the log so far
     */
    String awaitLog(String text) {
        for (String line : log) {
            if (line.contains(text)) {
                return line;
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            for (long left = WAIT.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                String line = lines.poll(left, TimeUnit.NANOSECONDS);
                if (line != null && line.contains(text)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("tinyproxy logged no '" + text + "' (alive: " + process.isAlive() + "):\n"
                + String.join("\n", log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt(); // the caller learns of it; the proxy is gone either way
        }
    }

    private void readLog() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                log.add(line);
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // tinyproxy needs a port number in its configuration: one the system just handed out.
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
