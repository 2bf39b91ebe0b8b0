package dev.weft.cli.command;

import dev.weft.testing.RedisServer;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** What {@code serve --cluster}'s tests need outside Maven: a redis-server to start. */
final class NeedsRedis {

    private NeedsRedis() {
    }

    /** Skips the calling test without redis-server, or fails it on CI, where .ci/run installs it. */
    static void check() {
        String why = "redis-server is needed: 'apt-get install redis-server' (.ci/run does)";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.assertTrue(RedisServer.installed(), why);
        }
        Assumptions.assumeTrue(RedisServer.installed(), why);
    }
}
