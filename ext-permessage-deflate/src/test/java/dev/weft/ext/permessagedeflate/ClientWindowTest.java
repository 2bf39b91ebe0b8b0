package dev.weft.ext.permessagedeflate;

import dev.weft.api.CloseCodes;
import dev.weft.api.Frame;
import dev.weft.api.Role;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.extension.ExtensionHeader;
import dev.weft.ext.zlib.Compressor;
import dev.weft.ext.zlib.Zlib;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code client_max_window_bits} (RFC 7692 §7.1.2.2): answered, and inflated with on native zlib,
 * only on JDK 22 and later (these tests run on 17 and 25 in {@code .ci/run}); never answered
 * unasked; a client held to a window compresses within it; data from a peer that does not keep to
 * the agreed window fails with 1007.
 */
class ClientWindowTest {

    private static final ExtensionContext SERVER = new ExtensionContext(Role.SERVER, 1 << 20, 1 << 20);
    private static final ExtensionContext CLIENT = new ExtensionContext(Role.CLIENT, 1 << 20, 1 << 20);
    private static final boolean NATIVE = Runtime.version().feature() >= 22;
    /** Random bytes that the next message repeats: a back-reference of 4 KiB into the one before. */
    private static final byte[] BLOCK = random(4096);

    @ParameterizedTest(name = "clientMaxWindowBits {0}, offer \"{1}\" -> {2} (JDK 17: {3})")
    @CsvSource(delimiter = '|', textBlock = """
            15 | permessage-deflate                                                  | permessage-deflate                                                    | permessage-deflate
            15 | permessage-deflate; client_max_window_bits                          | permessage-deflate                                                    | permessage-deflate
            15 | permessage-deflate; client_max_window_bits=10                       | permessage-deflate; client_max_window_bits=10                         | permessage-deflate
            15 | permessage-deflate; client_max_window_bits=15                       | permessage-deflate                                                    | permessage-deflate
            15 | permessage-deflate; client_max_window_bits=8                        | permessage-deflate                                                    | permessage-deflate
            12 | permessage-deflate                                                  | permessage-deflate                                                    | permessage-deflate
            12 | permessage-deflate; client_max_window_bits                          | permessage-deflate; client_max_window_bits=12                         | permessage-deflate
            12 | permessage-deflate; client_max_window_bits=10                       | permessage-deflate; client_max_window_bits=10                         | permessage-deflate
            12 | permessage-deflate; client_max_window_bits=14                       | permessage-deflate; client_max_window_bits=12                         | permessage-deflate
            12 | permessage-deflate; client_no_context_takeover; client_max_window_bits=10 | permessage-deflate; client_no_context_takeover                  | permessage-deflate; client_no_context_takeover
            12 | permessage-deflate; server_max_window_bits=10; client_max_window_bits | permessage-deflate; server_max_window_bits=10; client_max_window_bits=12 | declined
            """)
    void theServerAnswersOnlyAnOfferThatHasIt(int clientMaxWindowBits, String offer, String nativeAnswer,
                                              String jdkAnswer) {
        PerMessageDeflate factory = PerMessageDeflate.builder().clientMaxWindowBits(clientMaxWindowBits).build();
        Optional<Extension> agreed = factory.accept(element(offer), SERVER);
        assertEquals(NATIVE ? nativeAnswer : jdkAnswer, agreed.map(e -> e.parameters().toString()).orElse("declined"));
        agreed.ifPresent(server -> {
            boolean limited = server.parameters().has("client_max_window_bits");
            assertEquals(limited ? Compressor.Path.NATIVE : Compressor.Path.JDK, ((MessageInflater) server.decoder()).path());
            server.close();
        });
    }

    @Test
    void aClientOffersTheParameterOnlyWhenConfiguredAndAbleToKeepToIt() {
        assertEquals(List.of(element("permessage-deflate")), new PerMessageDeflate().offers(CLIENT));
        String configured = NATIVE ? "permessage-deflate; client_max_window_bits=11" : "permessage-deflate";
        assertEquals(List.of(element(configured)),
                PerMessageDeflate.builder().clientMaxWindowBits(11).build().offers(CLIENT));
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().clientMaxWindowBits(8));
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().clientMaxWindowBits(16));
    }

    @ParameterizedTest(name = "clientMaxWindowBits {0}, response \"{1}\" -> {2} (JDK 17: {3})")
    @CsvSource(delimiter = '|', textBlock = """
            15 | permessage-deflate; client_max_window_bits=10 | 1002 | 1002
            15 | permessage-deflate; client_max_window_bits=15 | 1002 | 1002
            11 | permessage-deflate                            | 11   | 15
            11 | permessage-deflate; client_max_window_bits=10 | 10   | 1002
            11 | permessage-deflate; client_max_window_bits=9  | 9    | 1002
            11 | permessage-deflate; client_max_window_bits=14 | 11   | 1002
            11 | permessage-deflate; client_max_window_bits=8  | 1002 | 1002
            11 | permessage-deflate; client_max_window_bits    | 1002 | 1002
            """)
    void aClientCompressesWithinTheWindowItIsHeldTo(int clientMaxWindowBits, String response, String nativeResult,
                                                   String jdkResult) throws Exception {
        PerMessageDeflate factory = PerMessageDeflate.builder().clientMaxWindowBits(clientMaxWindowBits).build();
        String expected = NATIVE ? nativeResult : jdkResult;
        if (expected.equals("1002")) {
            WebSocketException e = assertThrows(WebSocketException.class, () -> factory.accepted(element(response), CLIENT));
            assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode(), e.getMessage());
            return;
        }
        int windowBits = Integer.parseInt(expected);
        // A server that inflates with exactly that window reads what the client sends across messages.
        try (Extension client = factory.accepted(element(response), CLIENT);
             Extension server = PerMessageDeflate.builder().clientMaxWindowBits(windowBits).build()
                     .accept(offerFor(windowBits), SERVER).orElseThrow()) {
            assertEquals(windowBits < 15 ? Compressor.Path.NATIVE : Compressor.Path.JDK,
                    ((MessageDeflater) client.encoder()).path());
            assertEquals(windowBits < 15 ? Compressor.Path.NATIVE : Compressor.Path.JDK,
                    ((MessageInflater) server.decoder()).path());
            for (int i = 0; i < 3; i++) {
                Frame sent = client.encoder().encode(Frame.binary(ByteBuffer.wrap(BLOCK)));
                assertEquals(ByteBuffer.wrap(BLOCK), server.decoder().decode(sent).payload(), "message " + i);
            }
        }
    }

    @Test
    void bothDirectionsLimitedRoundTripWithin64KiBAndFreeTheirContexts() {
        if (!NATIVE) {
            return;
        }
        int inUse = Zlib.inUse();
        PerMessageDeflate factory = PerMessageDeflate.builder().clientMaxWindowBits(10).threshold(0).build();
        ExtensionParameters offer = factory.offers(CLIENT).get(0).with("server_max_window_bits", "10");
        Extension server = factory.accept(offer, SERVER).orElseThrow();
        Extension client = factory.accepted(server.parameters(), CLIENT);
        assertEquals("permessage-deflate; server_max_window_bits=10; client_max_window_bits=10",
                server.parameters().toString());
        byte[] big = random(200_000);
        System.arraycopy(big, 0, big, 100_000, 50_000);
        for (byte[] message : List.of(BLOCK, BLOCK, big, BLOCK)) {
            Frame up = server.decoder().decode(client.encoder().encode(Frame.binary(ByteBuffer.wrap(message))));
            assertEquals(ByteBuffer.wrap(message), drain(server, up));
            Frame down = client.decoder().decode(server.encoder().encode(Frame.binary(ByteBuffer.wrap(message))));
            assertEquals(ByteBuffer.wrap(message), drain(client, down));
        }
        long held = server.heldBytes();
        assertEquals(Zlib.deflaterBytes(10, Zlib.memLevel(10)) + Zlib.inflaterBytes(10), held);
        assertTrue(held <= 64 * 1024, "a connection limited to 10 bits both ways: " + held);
        assertEquals(inUse + 4, Zlib.inUse(), "two contexts on each end");
        server.close();
        client.close();
        assertEquals(inUse, Zlib.inUse(), "every context ended");
    }

    @Test
    void aPeerThatReachesPastTheAgreedWindowFailsWith1007() {
        if (!NATIVE) {
            return;
        }
        int inUse = Zlib.inUse();
        // The server holds the client to 10 bits; this client compresses with the JDK's 15 anyway.
        Extension server = new PerMessageDeflate().accept(element("permessage-deflate; client_max_window_bits=10"), SERVER)
                .orElseThrow();
        try (Extension careless = new PerMessageDeflate().accepted(element("permessage-deflate"), CLIENT)) {
            Frame first = careless.encoder().encode(Frame.binary(ByteBuffer.wrap(BLOCK)));
            assertEquals(ByteBuffer.wrap(BLOCK), server.decoder().decode(first).payload());
            Frame second = careless.encoder().encode(Frame.binary(ByteBuffer.wrap(BLOCK)));
            WebSocketException e = assertThrows(WebSocketException.class, () -> server.decoder().decode(second));
            assertEquals(CloseCodes.INVALID_PAYLOAD, e.closeCode());
            assertTrue(e.getMessage().contains("too far back"), e.getMessage());
        } finally {
            server.close();
        }
        assertEquals(inUse, Zlib.inUse(), "the failed connection's contexts are ended");
    }

    @Test
    void withoutContextTakeoverTheClientIsNotLimitedAndThePoolLendsAsBefore() {
        PerMessageDeflate factory = PerMessageDeflate.builder().clientMaxWindowBits(10).build();
        try (Extension server = factory.accept(element(
                "permessage-deflate; client_no_context_takeover; client_max_window_bits=10"), SERVER).orElseThrow();
             Extension client = new PerMessageDeflate().accepted(server.parameters(), CLIENT)) {
            assertEquals(Compressor.Path.JDK, ((MessageInflater) server.decoder()).path());
            Frame sent = client.encoder().encode(Frame.binary(ByteBuffer.wrap(BLOCK)));
            assertEquals(ByteBuffer.wrap(BLOCK), server.decoder().decode(sent).payload());
            assertEquals(0, server.decoder().heldBytes(), "the context went back to the pool");
        }
    }

    /** The frame's payload, followed by every slice still pending. */
    private static ByteBuffer drain(Extension receiver, Frame first) {
        ByteBuffer all = ByteBuffer.allocate(1 << 20).put(first.payload());
        while (receiver.decoder().hasPendingOutput()) {
            all.put(receiver.decoder().decodePending().payload());
        }
        return all.flip();
    }

    /** An offer that lets the server hold the client to {@code windowBits}, or none for 15. */
    private static ExtensionParameters offerFor(int windowBits) {
        return element(windowBits < 15 ? "permessage-deflate; client_max_window_bits=" + windowBits : "permessage-deflate");
    }

    private static ExtensionParameters element(String header) {
        return ExtensionHeader.parse(List.of(header)).get(0);
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }
}
