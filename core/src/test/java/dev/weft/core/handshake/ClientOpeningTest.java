package dev.weft.core.handshake;

import dev.weft.api.WebSocketConfig;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.Headers;
import dev.weft.core.handshake.ClientOpening.Failed;
import dev.weft.core.handshake.ClientOpening.NeedMore;
import dev.weft.core.handshake.ClientOpening.Open;
import dev.weft.core.handshake.ClientOpening.Step;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClientOpeningTest {

    private static final long SEED = 6455;
    private static final WebSocketConfig PLAIN = WebSocketConfig.builder().extensions(List.of()).build();
    /** An unmasked text frame "Hello" (RFC 6455 §5.7), as a server may send it right behind its 101. */
    private static final byte[] SERVER_FRAME = {(byte) 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};

    private static String switching(String accept) {
        return "HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n"
                + "\r\n";
    }

    /** The 101 that answers the key a client seeded with {@link #SEED} sends. */
    private static final String SWITCHING = switching(AcceptKey.forKey(AcceptKey.newKey(new Random(SEED))));

    private static ClientHandshake handshake(WebSocketConfig config) {
        return new ClientHandshake(URI.create("ws://server.example.com/chat"), Headers.empty(), config,
                new Random(SEED));
    }

    private static ClientOpening driver(WebSocketConfig config) {
        return new ClientOpening(handshake(config), config);
    }

    private static ClientOpening driver() {
        return driver(PLAIN);
    }

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static byte[] remaining(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static HandshakeException failure(Step step) {
        return assertInstanceOf(Failed.class, step).cause();
    }

    @Test
    void givesTheRequestToSendFirst() {
        assertEquals(Wire.text(handshake(PLAIN).requestBytes()), Wire.text(driver().requestBytes()));
    }

    @Test
    void opensOnAWholeResponseAndKeepsTheFramesBehindIt() {
        ByteBuffer in = ByteBuffer.wrap(concat(bytes(SWITCHING), SERVER_FRAME));

        Open open = assertInstanceOf(Open.class, driver().feed(in));

        assertArrayEquals(SERVER_FRAME, remaining(open.leftover()));
        assertFalse(in.hasRemaining(), "the driver took the buffer; the rest is the leftover");
        assertEquals(101, open.agreement().response().status());
        assertEquals("/chat", open.agreement().request().path());
    }

    @Test
    void needsMoreUntilTheLastByteOfTheHeadFedOneByOne() {
        ClientOpening opening = driver();
        byte[] response = bytes(SWITCHING);
        for (int i = 0; i < response.length - 1; i++) {
            ByteBuffer one = ByteBuffer.wrap(response, i, 1);
            assertInstanceOf(NeedMore.class, opening.feed(one));
            assertFalse(one.hasRemaining(), "byte " + i + " taken");
        }

        Open open = assertInstanceOf(Open.class,
                opening.feed(ByteBuffer.wrap(concat(new byte[] {response[response.length - 1]}, SERVER_FRAME))));

        assertArrayEquals(SERVER_FRAME, remaining(open.leftover()));
    }

    @Test
    void losesNoByteAtAnySplit() {
        byte[] stream = concat(bytes(SWITCHING), SERVER_FRAME);
        for (int split = 0; split <= stream.length; split++) {
            ClientOpening opening = driver();
            ByteBuffer first = ByteBuffer.wrap(stream, 0, split);
            ByteBuffer second = ByteBuffer.wrap(stream, split, stream.length - split);
            Step step = opening.feed(first);
            byte[] afterHead;
            if (step instanceof Open open) {
                afterHead = concat(remaining(open.leftover()), remaining(second));
            } else {
                assertInstanceOf(NeedMore.class, step, "split " + split);
                afterHead = remaining(assertInstanceOf(Open.class, opening.feed(second), "split " + split).leftover());
            }
            assertArrayEquals(SERVER_FRAME, afterHead, "split " + split);
        }
    }

    @Test
    void failsOnAWrongAcceptKey() {
        ByteBuffer in = ByteBuffer.wrap(concat(bytes(switching("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")), SERVER_FRAME));

        HandshakeException cause = failure(driver().feed(in));

        assertEquals(0, cause.status());
        assertEquals("the Sec-WebSocket-Accept header does not match the key sent", cause.getMessage());
        assertFalse(in.hasRemaining(), "a failure takes every byte fed");
    }

    @Test
    void failsOnAStatusOtherThan101WithThatStatus() {
        String forbidden = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n";

        HandshakeException cause = failure(driver().feed(ByteBuffer.wrap(bytes(forbidden))));

        assertEquals(403, cause.status());
        assertEquals("server answered 403 Forbidden", cause.getMessage());
    }

    @Test
    void failsOnAMalformedHeadWithStatus0() {
        HandshakeException cause = failure(driver().feed(ByteBuffer.wrap(bytes("HTTP/1.1 1O1 Oops\r\n\r\n"))));

        assertEquals(0, cause.status());
        assertEquals("the status line is not 'HTTP/x.y SP code SP reason'", cause.getMessage());
    }

    @Test
    void failsOnAHeadOverItsSizeLimit() {
        WebSocketConfig small = WebSocketConfig.builder().extensions(List.of()).maxHandshakeHeadSize(256).build();
        String big = SWITCHING.replace("\r\n\r\n", "\r\nX-Padding: " + "a".repeat(300) + "\r\n\r\n");

        HandshakeException cause = failure(driver(small).feed(ByteBuffer.wrap(bytes(big))));

        assertEquals(0, cause.status());
        assertEquals("the head is larger than 256 bytes", cause.getMessage());
    }

    @Test
    void failsOnAHeadWithTooManyFields() {
        WebSocketConfig few = WebSocketConfig.builder().extensions(List.of()).maxHandshakeHeaders(8).build();
        String many = SWITCHING.replace("\r\n\r\n", "\r\nX-1: a\r\nX-2: b\r\nX-3: c\r\nX-4: d\r\nX-5: e\r\nX-6: f\r\n\r\n");

        HandshakeException cause = failure(driver(few).feed(ByteBuffer.wrap(bytes(many))));

        assertEquals("more than 8 header fields", cause.getMessage());
    }

    @Test
    void failsWhenTheServerClosesBeforeTheHeadIsComplete() {
        ClientOpening opening = driver();
        opening.feed(ByteBuffer.wrap(bytes("HTTP/1.1 101 Switching")));

        HandshakeException cause = opening.endOfInput().cause();

        assertEquals(0, cause.status());
        assertEquals("the server closed the connection during the opening handshake", cause.getMessage());
    }

    @Test
    void refusesToBeFedAfterItsFinalStep() {
        ClientOpening opened = driver();
        opened.feed(ByteBuffer.wrap(bytes(SWITCHING)));
        ClientOpening failed = driver();
        failed.feed(ByteBuffer.wrap(bytes("nonsense\r\n\r\n")));

        assertThrows(IllegalStateException.class, () -> opened.feed(ByteBuffer.wrap(SERVER_FRAME)));
        assertThrows(IllegalStateException.class, opened::endOfInput);
        assertThrows(IllegalStateException.class, () -> failed.feed(ByteBuffer.wrap(SERVER_FRAME)));
    }
}
