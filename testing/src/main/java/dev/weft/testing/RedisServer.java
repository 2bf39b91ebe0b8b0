package dev.weft.testing;

import dev.weft.api.tls.SelfSignedCertificate;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A private {@code redis-server} (Debian's package, or any on the {@code PATH}) on 127.0.0.1 and a
 * port of its own, with no persistence, in the foreground: started by a test, stopped by its own
 * {@link Process}, never a system service. For tests of rooms that span servers through Redis.
 * It speaks plain RESP, or only TLS ({@link #startTls}; Debian's redis-server is built with TLS).
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int START_ATTEMPTS = 5;

    private final int port;
    private final String password;
    private final Path directory;
    private final SelfSignedCertificate certificate; // null without TLS
    private final Path keyFile; // the certificate's private key in PEM, for redis-server; null without TLS
    private Process process;

    private RedisServer(int port, String password, Path directory, SelfSignedCertificate certificate, Path keyFile) {
        this.port = port;
        this.password = password;
        this.directory = directory;
        this.certificate = certificate;
        this.keyFile = keyFile;
    }

    /** Whether a {@code redis-server} can be started: one on the {@code PATH} or Debian's. */
    public static boolean installed() {
        return executable() != null;
    }

    /**
     * A Redis on a free port, answering PING.
     *
     * @param directory where it writes its log (and nothing else)
     */
    public static RedisServer start(Path directory) throws IOException {
        return startOn(freePort(), null, directory);
    }

    /** A Redis on {@code port}, asking for {@code password} if not null, answering PING. */
    public static RedisServer startOn(int port, String password, Path directory) throws IOException {
        RedisServer server = new RedisServer(port, password, directory, null, null);
        server.launch();
        return server;
    }

    /**
     * A Redis on a free port that speaks TLS only ({@code rediss://}), presenting {@code certificate}
     * and asking clients for none, answering PING over TLS. {@link #subscribers} asks it over TLS too.
     *
     * @param certificate such as {@link SelfSignedCertificate#create()}, for {@code 127.0.0.1}
     * @param directory where it writes its log and the certificate's private key in PEM
     */
    public static RedisServer startTls(SelfSignedCertificate certificate, Path directory) throws IOException {
        Path keyFile = directory.resolve("redis-key-" + System.nanoTime() + ".pem");
        writePrivateKey(certificate, keyFile);
        RedisServer server = new RedisServer(freePort(), null, directory, certificate, keyFile);
        server.launch();
        return server;
    }

    /** A port nothing listens on now: one the system just handed out, closed again. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT} ({@code rediss://} with TLS), with the password if there is one. */
    public URI uri() {
        return URI.create((certificate == null ? "redis://" : "rediss://") + (password == null ? "" : ":" + password + "@")
                + "127.0.0.1:" + port);
    }

    /**
     * How many clients are subscribed to {@code channel} now: Redis's {@code PUBSUB NUMSUB}, asked
     * over a connection of its own.
     */
    public long subscribers(String channel) throws IOException {
        try (Socket socket = connect(5000)) {
            OutputStream out = socket.getOutputStream();
            if (password != null) {
                out.write(resp(List.of("AUTH", password)));
                readLine(socket.getInputStream());
            }
            out.write(resp(List.of("PUBSUB", "NUMSUB", channel)));
            out.flush();
            // The reply: *2, then the channel as a bulk string ($N and the name), then :COUNT.
            InputStream in = socket.getInputStream();
            for (int line = 0; line < 3; line++) {
                readLine(in);
            }
            String count = readLine(in);
            if (!count.startsWith(":")) {
                throw new IOException("not a PUBSUB NUMSUB reply: " + count);
            }
            return Long.parseLong(count.substring(1));
        }
    }

    private static byte[] resp(List<String> words) {
        StringBuilder s = new StringBuilder("*").append(words.size()).append("\r\n");
        for (String w : words) {
            s.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("Redis closed the connection");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** Kills the server: its clients see their connections drop. */
    public void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt(); // the caller learns of it; the server is gone either way
        }
        process = null;
    }

    /**
     * Kills the server if it runs, and starts a new one on the same port. Between the two another
     * process may take the port; the start is then tried again, a few times, before the test fails.
     */
    public void restart() throws IOException {
        kill();
        launch();
    }

    @Override
    public void close() {
        kill();
    }

    private void launch() throws IOException {
        List<String> tried = new ArrayList<>();
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            Path log = directory.resolve("redis-" + port + "-" + System.nanoTime() + ".log");
            // With TLS, the plain port is off (0) and the TLS one is P; no client certificate is asked for.
            String plainPort = certificate == null ? Integer.toString(port) : "0";
            List<String> command = new ArrayList<>(List.of(executable(), "--port", plainPort,
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                    "--dir", directory.toString()));
            if (password != null) {
                command.addAll(List.of("--requirepass", password));
            }
            if (certificate != null) {
                String certificateFile = certificate.certificateFile().toString();
                command.addAll(List.of("--tls-port", Integer.toString(port), "--tls-cert-file", certificateFile,
                        "--tls-key-file", keyFile.toString(), "--tls-ca-cert-file", certificateFile,
                        "--tls-auth-clients", "no"));
            }
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (answers(p, log)) {
                process = p;
                return;
            }
            p.destroyForcibly();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting redis-server", e);
            }
            tried.add(Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)");
        }
        throw new IOException("redis-server did not start on port " + port + " in " + START_ATTEMPTS + " attempts:\n"
                + String.join("\n---\n", tried));
    }

    /**
     * Whether {@code p} answers PING (or asks for the password) on the port before it exits or the
     * deadline, and its own log says it listens (the answer may come from another process that took
     * the port since it was free).
     */
    private boolean answers(Process p, Path log) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (p.isAlive() && System.nanoTime() - deadline < 0) {
            try (Socket socket = connect(1000)) {
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] reply = in.readNBytes(5);
                String answer = new String(reply, StandardCharsets.US_ASCII);
                if ((answer.equals("+PONG") || answer.equals("-NOAU")) && p.isAlive()
                        && Files.readString(log, StandardCharsets.UTF_8).contains("Ready to accept connections")) {
                    return true;
                }
            } catch (IOException notYet) {
                // Not listening yet: try again until the deadline.
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // a poll interval, not a wait for an outcome
        }
        return false;
    }

    /**
     * A connection to the server, over TLS if it speaks TLS (trusting its certificate, whatever
     * names it holds), with {@code timeoutMillis} to connect and for each read.
     */
    private Socket connect(int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            if (certificate == null) {
                return socket;
            }
            // The JDK's socket checks no host name unless told to: a test may give Redis a certificate for another.
            SSLSocket secure = (SSLSocket) certificate.clientContext().getSocketFactory()
                    .createSocket(socket, "127.0.0.1", port, true);
            secure.startHandshake();
            return secure;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The certificate's private key as PKCS #8 PEM ({@code BEGIN PRIVATE KEY}), which redis-server reads. */
    private static void writePrivateKey(SelfSignedCertificate certificate, Path file) throws IOException {
        char[] password = certificate.password();
        try {
            KeyStore store = KeyStore.getInstance(certificate.keyStore().toFile(), password);
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Key key = store.getKey(alias, password);
                    Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
                    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + base64.encodeToString(key.getEncoded())
                            + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
                    return;
                }
            }
            throw new IOException("no private key in " + certificate.keyStore());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key of " + certificate + ": " + e.getMessage(), e);
        }
    }

    private static String executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        Path debian = Path.of("/usr/bin/redis-server");
        return Files.isExecutable(debian) ? debian.toString() : null;
    }
}
