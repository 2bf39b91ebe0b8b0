package dev.weft.transport.tls;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Splits bytes from the network into TLS records (RFC 8446 §5.1), checking that they are records. */
final class TlsRecords {

    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;

    private TlsRecords() {
    }

    /** The content type of each record in {@code bytes}, which must hold whole records only. */
    static List<Integer> contentTypes(byte[] bytes) {
        List<Integer> types = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            assertTrue(bytes.length - at >= 5, "a partial record header at " + at);
            int type = bytes[at] & 0xFF;
            assertTrue(type >= CHANGE_CIPHER_SPEC && type <= APPLICATION_DATA, "not a TLS record type: " + type + " at " + at);
            assertEquals(3, bytes[at + 1], "record version major at " + at);
            int length = ((bytes[at + 3] & 0xFF) << 8) | (bytes[at + 4] & 0xFF);
            assertTrue(length <= (1 << 14) + 256, "record too long: " + length);
            at += 5 + length;
            assertTrue(at <= bytes.length, "a partial record at the end");
            types.add(type);
        }
        return types;
    }
}
