package dev.weft.transport.nio;

import dev.weft.testing.ServerContract;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** The NIO server keeps the wire-level contract every Weft server transport keeps. */
class ServerContractTest {

    @TestFactory
    Stream<DynamicTest> keepsTheServerContract() {
        return ServerContract.of((config, handlers) -> {
                    WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(2).config(config)
                            .endpoint("/echo", handlers).build().start();
                    return ServerContract.Running.of(server.port(), server::close);
                })
                .checks().stream()
                .map(check -> DynamicTest.dynamicTest(check.name(), check::run));
    }
}
