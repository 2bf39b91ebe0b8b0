package dev.weft.transport.blocking;

import dev.weft.api.Connection;
import dev.weft.api.Message;
import dev.weft.api.WebSocketHandler;
import dev.weft.transport.blocking.socket.Threads;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On Java 21 and later: connections run on virtual threads, and none of them pins its carrier while
 * it blocks in a socket read or write or waits for a connection's lock. This class runs only where
 * the JDK has virtual threads (the build's {@code virtual-threads} profile includes it; on Java 17
 * it is not a test at all, rather than a skipped one).
 */
class OnVirtualThreadsTest {

    private static final Method IS_VIRTUAL = isVirtual();

    @Test
    void serverHandlersAndClientHandlersRunOnVirtualThreads() throws Exception {
        assertTrue(Threads.virtualThreadsAvailable());
        CompletableFuture<Thread> serverThread = new CompletableFuture<>();
        try (BlockingWebSocketServer server = BlockingWebSocketServer.builder()
                .endpoint("/echo", () -> new WebSocketHandler() {
                    @Override
                    public void onText(Connection c, String text) {
                        serverThread.complete(Thread.currentThread());
                        c.sendText(text);
                    }
                })
                .build().start()) {
            CompletableFuture<Thread> clientThread = new CompletableFuture<>();
            Connection c = BlockingWebSocketClient.defaults().connect(uri(server), new WebSocketHandler() {
                @Override
                public void onText(Connection connection, String text) {
                    clientThread.complete(Thread.currentThread());
                }
            });
            c.sendText("which thread?");
            assertTrue(virtual(serverThread.get(10, TimeUnit.SECONDS)), "the server's handler thread");
            assertTrue(virtual(clientThread.get(10, TimeUnit.SECONDS)), "the client's handler thread");
            c.close();
        }
    }

    @Test
    void noVirtualThreadPinsWhileBlockedInIoOrOnAConnectionsLock() throws Exception {
        // Loading a class pins a virtual thread (the JDK's class loaders block in native frames), so
        // every class is loaded first: what is recorded is the I/O and the locking alone.
        exchangeUnderContention();
        Path file = Files.createTempFile("weft-pinning", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            exchangeUnderContention();
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> pinned = RecordingFile.readAllEvents(file);
        Files.delete(file);
        assertEquals(List.of(), pinned.stream().map(e -> e.getThread() + " " + e.getStackTrace()).toList());
    }

    /**
     * Twenty clients on virtual threads, each written to by four virtual threads at once (so sends
     * wait on the connection's lock) with payloads large enough to fill socket buffers (so writes
     * block), against a server whose connections run on virtual threads and block in reads.
     */
    private static void exchangeUnderContention() throws Exception {
        try (BlockingWebSocketServer server = BlockingWebSocketServer.builder()
                .endpoint("/echo", () -> new WebSocketHandler() {
                    @Override
                    public void onBinary(Connection c, ByteBuffer data) {
                        c.sendBinary(data);
                    }
                })
                .build().start()) {
            Executor threads = Threads.perTask("pinning-test-");
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int client = 0; client < 20; client++) {
                done.add(CompletableFuture.runAsync(() -> {
                    try (BlockingWebSocket ws = BlockingWebSocket.connect(uri(server))) {
                        List<CompletableFuture<Void>> sends = new ArrayList<>();
                        for (int sender = 0; sender < 4; sender++) {
                            sends.add(CompletableFuture.runAsync(() -> {
                                for (int i = 0; i < 10; i++) {
                                    send(ws, ByteBuffer.allocate(256 * 1024));
                                }
                            }, threads));
                        }
                        for (int i = 0; i < 40; i++) {
                            Message echo = ws.receive();
                            assertTrue(echo instanceof Message.Binary,
                                    () -> "closed with " + ws.closeCode() + " " + ws.closeReason());
                        }
                        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, threads));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
    }

    private static void send(BlockingWebSocket ws, ByteBuffer data) {
        try {
            ws.sendBinary(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URI uri(BlockingWebSocketServer server) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/echo");
    }

    private static boolean virtual(Thread thread) throws ReflectiveOperationException {
        return (boolean) IS_VIRTUAL.invoke(thread);
    }

    private static Method isVirtual() {
        try {
            return Thread.class.getMethod("isVirtual");
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("this test runs on Java 21 and later only", e);
        }
    }
}
