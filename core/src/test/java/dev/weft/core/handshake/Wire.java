package dev.weft.core.handshake;

import dev.weft.api.handshake.HandshakeResponse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads what a handshake wrote, as the peer would. */
final class Wire {

    /** A response as read back from its bytes: the head, and the body that followed it. */
    record Sent(HandshakeResponse response, String body) {
    }

    private Wire() {
    }

    static Sent readResponse(ByteBuffer bytes) {
        ByteBuffer in = bytes.duplicate();
        HttpHeadParser parser = HttpHeadParser.forResponse(16 * 1024, 100);
        assertTrue(parser.parse(in), "a complete head");
        byte[] body = new byte[in.remaining()];
        in.get(body);
        return new Sent(parser.response(), new String(body, StandardCharsets.UTF_8));
    }

    static String text(ByteBuffer bytes) {
        ByteBuffer in = bytes.duplicate();
        byte[] all = new byte[in.remaining()];
        in.get(all);
        return new String(all, StandardCharsets.ISO_8859_1);
    }
}
