package dev.weft.core.handshake;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Base64;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AcceptKeyTest {

    @Test
    void answersTheRfcExample() {
        // RFC 6455 §1.3: the key "dGhlIHNhbXBsZSBub25jZQ==" hashes to 0xb3 0x7a 0x4f 0x2c ... 0xc4 0xea,
        // "base64-encoded [...] to give the value "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="".
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", AcceptKey.forKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void newKeysAreSixteenRandomBytesInBase64() {
        String key = AcceptKey.newKey(new Random(42));

        assertEquals(16, Base64.getDecoder().decode(key).length);
        assertEquals(key, AcceptKey.newKey(new Random(42)), "the key comes from the random source alone");
        assertNotEquals(key, AcceptKey.newKey(new Random(43)));
        assertTrue(AcceptKey.isValidKey(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "dGhlIHNhbXBsZSBub25jZQ==",
            "AQIDBAUGBwgJCgsMDQ4PEC==", // RFC 6455 §4.1's example, with non-zero bits in its padding
    })
    void takesSixteenByteKeys(String key) {
        assertTrue(AcceptKey.isValidKey(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "dGhlIHNhbXBsZSBub25jZQ",    // 16 bytes, unpadded
            "dGhlIHNhbXBsZSBub25j",      // 15 bytes
            "dGhlIHNhbXBsZSBub25jZQ==ZQ==", // not one base64 value
            "dGhlIHNhbXBsZSBub25jZTE=",  // 17 bytes
            "dGhlIHNhbXBsZSBub25jZTEy",  // 18 bytes
            "dGhlIHNhbXBsZSBub25jZQ!!",  // not base64
            "dGhlIHNhbXBsZSBub25j ZQ=",  // a space inside
    })
    void refusesOtherKeys(String key) {
        assertFalse(AcceptKey.isValidKey(key));
    }
}
