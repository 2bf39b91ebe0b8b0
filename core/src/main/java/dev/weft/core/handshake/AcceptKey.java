package dev.weft.core.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Random;

/**
 * The {@code Sec-WebSocket-Key} nonce and the {@code Sec-WebSocket-Accept} value derived from it
 * (RFC 6455 §1.3, §4.1, §4.2.2). Stateless and thread-safe.
 */
public final class AcceptKey {

    /** The GUID a server appends to the client's key (RFC 6455 §1.3). */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** "a randomly selected 16-byte value that has been base64-encoded" (RFC 6455 §4.1) */
    private static final int NONCE_BYTES = 16;

    /** 16 bytes in padded base64: five full 4-character groups and one ending in "==". */
    private static final int ENCODED_KEY_LENGTH = 24;

    private AcceptKey() {
    }

    /**
     * The {@code Sec-WebSocket-Accept} value for a key: "the base64-encoded SHA-1 of the
     * concatenation of the |Sec-WebSocket-Key| (as a string, not base64-decoded) with the string
     * "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"" (RFC 6455 §4.1).
     *
     * @param secWebSocketKey the key as it appears in the request, without surrounding whitespace
     */
    public static String forKey(String secWebSocketKey) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the Java platform guarantees SHA-1", e);
        }
        // ISO-8859-1 hashes the key's octets exactly as they were on the wire.
        byte[] hash = sha1.digest((secWebSocketKey + GUID).getBytes(StandardCharsets.ISO_8859_1));
        return Base64.getEncoder().encodeToString(hash);
    }

    /**
     * A fresh key: 16 bytes from {@code random}, base64-encoded. "The nonce MUST be selected
     * randomly for each connection" (RFC 6455 §4.1), so callers pass a
     * {@link java.security.SecureRandom}; tests may pass a seeded {@link Random}.
     */
    public static String newKey(Random random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /**
     * Whether {@code key} is "a base64-encoded [...] value that, when decoded, is 16 bytes in length"
     * (RFC 6455 §4.2.1). The length is checked first because the JDK's decoder also takes the
     * unpadded form, which RFC 4648 §4 base64 is not.
     */
    static boolean isValidKey(String key) {
        if (key.length() != ENCODED_KEY_LENGTH) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == NONCE_BYTES;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }
}
