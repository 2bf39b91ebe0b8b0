package dev.weft.transport.tls;

import dev.weft.api.Role;
import dev.weft.api.tls.ClientTls;
import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.testing.loop.ManualScheduler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client and a server {@link TlsLayer} wired to each other in memory on the test's thread: the
 * handshake, every split of the byte stream, post-handshake messages, closing and failures, with
 * no sockets and no timing.
 */
class TlsLayerTest {

    private static final int COALESCED = 1 << 24;

    private static SelfSignedCertificate cert;

    @BeforeAll
    static void certificate() throws IOException {
        cert = SelfSignedCertificate.create();
    }

    /** A client layer (on an engine the test can reach) and a server layer, on one manual loop. */
    private static final class Pair {
        final ManualScheduler loop = new ManualScheduler();
        final SSLEngine clientEngine;
        final MemoryLink client;
        final MemoryLink server;

        Pair(String protocol, int chunk) {
            this(protocol, chunk, cert.clientTls(), "localhost");
        }

        Pair(String protocol, int chunk, ClientTls tls, String host) {
            clientEngine = TlsFactory.clientEngine(tls, host, 443);
            clientEngine.setEnabledProtocols(new String[] {protocol});
            client = new MemoryLink(new TlsLayer(Role.CLIENT, host, 443, serverName -> clientEngine), loop, chunk);
            server = new MemoryLink(Tls.server(cert.serverTls()).create(Role.SERVER, "127.0.0.1", 50000), loop, chunk);
        }

        void connect() {
            MemoryLink.connect(client, server);
        }

        void open() throws InterruptedException {
            connect();
            loop.runUntil(() -> client.opens == 1 && server.opens == 1);
        }
    }

    static Stream<Arguments> protocolsAndSplits() {
        return Stream.of("TLSv1.3", "TLSv1.2").flatMap(protocol -> Stream.of(1, 5, 1000, (1 << 14) + 5, COALESCED)
                .map(chunk -> Arguments.of(protocol, chunk)));
    }

    @ParameterizedTest(name = "{0}, reads of {1} bytes")
    @MethodSource("protocolsAndSplits")
    void bytesArriveExactlyWhateverTheReadsLookLike(String protocol, int chunk) throws Exception {
        Pair p = new Pair(protocol, chunk);
        byte[] up = random(100_000, 1);
        byte[] down = random(70_000, 2);
        p.connect();
        p.client.write(up);
        p.loop.runUntil(() -> p.server.opens == 1);
        p.server.write(down);
        p.loop.runUntil(() -> p.server.received.size() == up.length && p.client.received.size() == down.length);

        assertArrayEquals(up, p.server.received.toByteArray());
        assertArrayEquals(down, p.client.received.toByteArray());
        assertEquals(1, p.client.opens);
        assertEquals(1, p.server.opens);
        assertNull(p.client.failure);
        assertNull(p.server.failure);
        assertEquals(protocol, p.clientEngine.getSession().getProtocol());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void writesBeforeTheHandshakeWaitAndLeaveOnlyEncrypted(String protocol) throws Exception {
        Pair p = new Pair(protocol, COALESCED);
        byte[] secret = "PLAINTEXT-".repeat(100).getBytes(StandardCharsets.US_ASCII);
        p.connect();
        CompletableFuture<Void> written = p.client.write(secret);
        boolean[] writtenAtOpen = {true};
        p.client.onOpen = end -> writtenAtOpen[0] = written.isDone();
        p.loop.runUntil(() -> p.server.received.size() == secret.length);

        assertFalse(writtenAtOpen[0], "the write completed before the handshake did");
        written.get();
        assertArrayEquals(secret, p.server.received.toByteArray());
        byte[] network = p.client.allSent();
        assertEquals(-1, indexOf(network, "PLAINTEXT-".getBytes(StandardCharsets.US_ASCII)), "plaintext on the network");
        TlsRecords.contentTypes(network);
        ByteArrayOutputStream beforeOpen = new ByteArrayOutputStream();
        p.client.sent.subList(0, p.client.sentAtOpen).forEach(beforeOpen::writeBytes);
        long applicationRecords = TlsRecords.contentTypes(beforeOpen.toByteArray()).stream()
                .filter(type -> type == TlsRecords.APPLICATION_DATA).count();
        // TLS 1.3 sends its encrypted handshake messages as application_data records (RFC 8446
        // §5.2): the client's Finished is one. TLS 1.2 has none before the handshake is over.
        assertEquals(protocol.equals("TLSv1.3") ? 1 : 0, applicationRecords);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void applicationDataInTheSameReadAsTheLastHandshakeFlightIsKept(String protocol) throws Exception {
        // Coalesced: what each side writes on opening travels in one read with its last handshake
        // records (the client's Finished in TLS 1.3, the server's in TLS 1.2).
        Pair p = new Pair(protocol, COALESCED);
        p.client.onOpen = end -> end.write("request");
        p.server.onOpen = end -> end.write("greeting");
        p.connect();
        p.loop.runUntil(() -> p.server.receivedText().equals("request") && p.client.receivedText().equals("greeting"));
        assertNull(p.server.failure);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void postHandshakeMessagesInTheMiddleOfTheData(String protocol) throws Exception {
        Pair p = new Pair(protocol, 1000);
        p.open();
        ByteArrayOutputStream up = new ByteArrayOutputStream();
        ByteArrayOutputStream down = new ByteArrayOutputStream();
        for (int round = 0; round < 3; round++) {
            // TLS 1.3: a KeyUpdate the server must answer (RFC 8446 §4.6.3); TLS 1.2: a renegotiation.
            p.clientEngine.beginHandshake();
            byte[] a = random(40_000, round);
            byte[] b = random(30_000, round + 10);
            p.client.write(a);
            p.server.write(b);
            up.writeBytes(a);
            down.writeBytes(b);
            p.loop.runUntil(() -> p.server.received.size() == up.size() && p.client.received.size() == down.size());
        }
        assertArrayEquals(up.toByteArray(), p.server.received.toByteArray());
        assertArrayEquals(down.toByteArray(), p.client.received.toByteArray());
        assertNull(p.client.failure);
        assertNull(p.server.failure);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void closeSendsCloseNotifyWhichEndsThePeersInput(String protocol) throws Exception {
        Pair p = new Pair(protocol, COALESCED);
        p.open();
        p.client.write("last words");
        p.client.layer.close();
        p.loop.runUntil(() -> p.server.endsOfInput == 1);

        assertFalse(p.server.endedByFin, "ended by the TCP close, not by close_notify");
        assertEquals("last words", p.server.receivedText());
        assertNull(p.server.failure);
        assertTrue(p.client.networkClosed);
        List<Integer> types = TlsRecords.contentTypes(p.client.sent.get(p.client.sent.size() - 1));
        // TLS 1.2 sends the alert as an alert record; TLS 1.3 hides it in application_data.
        assertEquals(protocol.equals("TLSv1.3") ? TlsRecords.APPLICATION_DATA : TlsRecords.ALERT, types.get(types.size() - 1));
    }

    @Test
    void writesAfterCloseFail() throws Exception {
        Pair p = new Pair("TLSv1.3", COALESCED);
        p.open();
        p.client.layer.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> p.client.write("late").get());
        assertInstanceOf(ClosedChannelException.class, e.getCause());
    }

    @Test
    void theEndOfTcpWithoutCloseNotifyEndsTheInputWithoutFailing() throws Exception {
        Pair p = new Pair("TLSv1.3", COALESCED);
        p.open();
        p.client.connected = false;
        p.client.write("cut off");
        byte[] record = p.client.sent.get(p.client.sent.size() - 1);
        p.server.layer.read(ByteBuffer.wrap(record, 0, record.length / 2));
        p.server.layer.endOfInput();

        assertEquals(1, p.server.endsOfInput);
        assertNull(p.server.failure);
        assertEquals("", p.server.receivedText());
    }

    @Test
    void theEndOfTcpDuringTheHandshakeFailsTheConnection() {
        Pair p = new Pair("TLSv1.3", COALESCED);
        p.client.connected = false;
        p.connect();
        byte[] hello = p.client.sent.get(0);
        p.server.layer.read(ByteBuffer.wrap(hello, 0, 40));
        p.server.layer.endOfInput();

        assertNotNull(p.server.failure);
        assertTrue(p.server.failure.getMessage().contains("the peer closed the connection"), p.server.failure.getMessage());
        assertEquals(0, p.server.opens);
        assertEquals(0, p.server.endsOfInput);
    }

    @Test
    void bytesThatAreNotTlsFailTheConnectionAndNothingElse() throws Exception {
        for (byte[] garbage : List.of("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                new byte[] {22, 3, 1, 0, 8, 1, 0, 0, 4, 3, 3, 0, 0},
                new byte[] {22, 3, 3, 0, 4, 9, 0, 0, 0})) {
            ManualScheduler loop = new ManualScheduler();
            MemoryLink server = new MemoryLink(Tls.server(cert.serverTls()).create(Role.SERVER, "127.0.0.1", 50000),
                    loop, COALESCED);
            server.layer.open(server);
            server.layer.read(ByteBuffer.wrap(garbage));
            // A hello that parses as a record may fail only in the engine's delegated task.
            loop.runUntil(() -> server.failure != null);

            assertInstanceOf(SSLException.class, server.failure.getCause());
            assertTrue(server.failure.getMessage().startsWith("TLS handshake with 127.0.0.1:50000 failed: "),
                    server.failure.getMessage());
            assertTrue(server.networkClosed);
        }
    }

    @Test
    void closingDuringTheHandshakeFailsTheWritesItHeld() throws Exception {
        Pair p = new Pair("TLSv1.3", COALESCED);
        p.connect();
        CompletableFuture<Void> written = p.client.write("never sent");
        p.client.layer.close();

        ExecutionException e = assertThrows(ExecutionException.class, written::get);
        assertInstanceOf(ClosedChannelException.class, e.getCause());
        assertTrue(p.client.networkClosed);
        assertEquals(-1, indexOf(p.client.allSent(), "never sent".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, p.client.opens);
    }

    @Test
    void aWriteFromACompletedFutureGoesAfterTheWriteThatCompletedIt() throws Exception {
        Pair p = new Pair("TLSv1.3", COALESCED);
        p.open();
        byte[] a = random(400_000, 7);
        byte[] b = "then B".getBytes(StandardCharsets.US_ASCII);
        byte[] c = "and C".getBytes(StandardCharsets.US_ASCII);
        CompletableFuture<Void> aWritten = new CompletableFuture<>();
        // Completes inside the layer's own network write, while it still wraps.
        aWritten.thenRun(() -> p.client.write(b));
        p.client.layer.write(ByteBuffer.wrap(a), null, aWritten);
        p.client.write(c);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(a);
        expected.writeBytes(b);
        expected.writeBytes(c);
        p.loop.runUntil(() -> p.server.received.size() == expected.size());
        assertArrayEquals(expected.toByteArray(), p.server.received.toByteArray());
    }

    @Test
    void headAndBodyAreWrappedTogether() throws Exception {
        Pair p = new Pair("TLSv1.3", COALESCED);
        p.open();
        int before = p.client.sent.size();
        CompletableFuture<Void> written = new CompletableFuture<>();
        p.client.layer.write(ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(new byte[] {3, 4, 5}), written);
        written.get();
        assertEquals(before + 1, p.client.sent.size(), "one network write");
        assertEquals(List.of(TlsRecords.APPLICATION_DATA), TlsRecords.contentTypes(p.client.sent.get(before)), "one record");
        p.loop.runUntil(() -> p.server.received.size() == 5);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, p.server.received.toByteArray());
    }

    @Test
    void anUntrustedCertificateFailsWithAMessageSayingSo() throws Exception {
        Pair p = new Pair("TLSv1.3", COALESCED, ClientTls.defaults(), "localhost");
        p.connect();
        p.loop.runUntil(() -> p.client.failure != null && p.server.failure != null);

        assertTrue(p.client.failure.getMessage().startsWith(
                "TLS handshake with localhost:443 failed: the server's certificate is not trusted ("), p.client.failure.getMessage());
        assertInstanceOf(SSLHandshakeException.class, p.client.failure.getCause());
        // The client's alert told the server.
        assertTrue(p.server.failure.getMessage().contains("certificate_unknown"), p.server.failure.getMessage());
    }

    @Test
    void aCertificateForAnotherHostFailsWithAMessageSayingSo() throws Exception {
        Pair p = new Pair("TLSv1.2", COALESCED, cert.clientTls(), "example.test");
        p.connect();
        p.loop.runUntil(() -> p.client.failure != null);

        assertTrue(p.client.failure.getMessage().startsWith(
                "TLS handshake with example.test:443 failed: the server's certificate is not valid for the host name example.test ("),
                p.client.failure.getMessage());
        assertInstanceOf(SSLHandshakeException.class, p.client.failure.getCause());
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
