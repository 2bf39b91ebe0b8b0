package dev.weft.transport.blocking;

import dev.weft.testing.ServerContract;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** The blocking server keeps the wire-level contract every Weft server transport keeps, as the NIO server does. */
class ServerContractTest {

    @TestFactory
    Stream<DynamicTest> keepsTheServerContract() {
        return ServerContract.of((config, handlers) -> {
                    BlockingWebSocketServer server = BlockingWebSocketServer.builder().config(config)
                            .endpoint("/echo", handlers).build().start();
                    return ServerContract.Running.of(server.port(), server::close);
                })
                .checks().stream()
                .map(check -> DynamicTest.dynamicTest(check.name(), check::run));
    }
}
