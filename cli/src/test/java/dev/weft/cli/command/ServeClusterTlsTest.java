package dev.weft.cli.command;

import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.testing.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.weft.cli.command.CliRun.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@code weft serve --cluster rediss://… --cluster-trust-cert FILE}, in-process, on a private TLS-only Redis. */
class ServeClusterTlsTest {

    @TempDir
    Path directory;

    @Test
    void serveJoinsATlsRedisTrustingItsCertificate() throws Exception {
        NeedsRedis.check();
        SelfSignedCertificate certificate = SelfSignedCertificate.create();
        try (RedisServer redis = RedisServer.startTls(certificate, directory)) {
            CliRun serve = CliRun.start("", "serve", "--port", "0", "--node", "node-tls",
                    "--cluster", redis.uri().toString(), "--cluster-trust-cert", certificate.certificateFile().toString());
            String listening = serve.out.awaitStartingWith("listening on ", WAIT);
            assertTrue(listening.startsWith("listening on ws://127.0.0.1:"), listening + serve.err.text());

            // Joined: the node listens for server-wide broadcasts on Redis, over TLS.
            awaitSubscribers(redis, "weft:all", 1);

            serve.subcommand("serve", ServeCommand.class).stop();
            assertEquals(0, serve.exitCode(), serve.err.text());
            awaitSubscribers(redis, "weft:all", 0);
        }
    }

    private static void awaitSubscribers(RedisServer redis, String channel, long expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long now;
        while ((now = redis.subscribers(channel)) != expected) {
            if (System.nanoTime() - deadline > 0) {
                fail(channel + " has " + now + " subscribers, not " + expected);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // a poll interval
        }
    }
}
