package dev.weft.cluster.redis;

import dev.weft.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every test here needs: a redis-server to start (skipped without one, failed on CI, where
 * .ci/run installs it), a directory for its log, and what the test opened closed after it, last
 * first.
 */
abstract class RedisTestCase {

    @TempDir
    Path directory;

    final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void redisNeeded() {
        String why = "redis-server is needed: 'apt-get install redis-server' (.ci/run does)";
        // On CI a missing server is a broken build, not a reason to skip.
        if ("true".equals(System.getenv("CI"))) {
            Assertions.assertTrue(RedisServer.installed(), why);
        }
        Assumptions.assumeTrue(RedisServer.installed(), why);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }
}
