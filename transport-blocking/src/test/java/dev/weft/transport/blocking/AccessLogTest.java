package dev.weft.transport.blocking;

import dev.weft.testing.AccessLogContract;
import dev.weft.testing.ServerContract;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** The blocking server's access log and refusal lines, as the NIO server writes them. */
class AccessLogTest {

    @TestFactory
    Stream<DynamicTest> writesTheAccessLog() {
        return AccessLogContract.of((config, handlers) -> {
                    BlockingWebSocketServer server = BlockingWebSocketServer.builder().config(config)
                            .accessLog(true).endpoint("/echo", handlers).build().start();
                    return ServerContract.Running.of(server.port(), server::close);
                })
                .checks().stream()
                .map(check -> DynamicTest.dynamicTest(check.name(), check::run));
    }
}
