package dev.weft.transport.nio;

import dev.weft.testing.AccessLogContract;
import dev.weft.testing.ServerContract;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** The NIO server's access log and refusal lines. */
class AccessLogTest {

    @TestFactory
    Stream<DynamicTest> writesTheAccessLog() {
        return AccessLogContract.of((config, handlers) -> {
                    WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(config)
                            .accessLog(true).endpoint("/echo", handlers).build().start();
                    return ServerContract.Running.of(server.port(), server::close);
                })
                .checks().stream()
                .map(check -> DynamicTest.dynamicTest(check.name(), check::run));
    }
}
