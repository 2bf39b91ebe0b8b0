package dev.weft.transport.blocking;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Runs one send of a {@link dev.weft.api.Connection} and waits until its frame is written. */
@FunctionalInterface
interface Sender {
    void send(Supplier<CompletableFuture<Void>> send) throws IOException;
}
