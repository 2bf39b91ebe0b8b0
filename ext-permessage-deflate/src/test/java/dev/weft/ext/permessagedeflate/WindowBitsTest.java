package dev.weft.ext.permessagedeflate;

import dev.weft.api.Frame;
import dev.weft.api.Role;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.extension.ExtensionHeader;
import dev.weft.ext.zlib.Compressor;
import dev.weft.ext.zlib.Zlib;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code server_max_window_bits} below 15: declined where only the JDK's Deflater is there (JDK 17
 * to 21), accepted and kept to on native zlib (JDK 22 and later, where the build's multi-release
 * classes and libz are there; these tests run on both in {@code .ci/run}).
 */
class WindowBitsTest {

    private static final ExtensionContext SERVER = new ExtensionContext(Role.SERVER, 1 << 20, 1 << 20);
    private static final ExtensionContext CLIENT = new ExtensionContext(Role.CLIENT, 1 << 20, 1 << 20);
    private static final boolean NATIVE = Runtime.version().feature() >= 22;

    @ParameterizedTest
    @ValueSource(ints = {9, 10, 12, 14})
    void aSmallerServerWindowIsAcceptedOnlyWithNativeZlib(int windowBits) {
        Optional<Extension> agreed = new PerMessageDeflate().accept(offer(windowBits), SERVER);
        assertEquals(NATIVE, Zlib.nativeAvailable());
        if (!NATIVE) {
            assertEquals(Optional.empty(), agreed, "declined on JDK " + Runtime.version().feature());
            return;
        }
        try (Extension server = agreed.orElseThrow()) {
            assertEquals("permessage-deflate; server_max_window_bits=" + windowBits, server.parameters().toString());
            assertEquals(Compressor.Path.NATIVE, ((MessageDeflater) server.encoder()).path());
        }
    }

    @Test
    void fifteenBitsStayOnTheJdkAndEightIsDeclinedEverywhere() {
        try (Extension server = new PerMessageDeflate().accept(offer(15), SERVER).orElseThrow()) {
            assertEquals(Compressor.Path.JDK, ((MessageDeflater) server.encoder()).path());
        }
        // zlib cannot compress raw DEFLATE with 256 bytes, and the response may not name more.
        assertEquals(Optional.empty(), new PerMessageDeflate().accept(offer(8), SERVER));
    }

    @Test
    void theClientInflatesWhatTheServerCompressedWithASmallWindowAcrossMessages() {
        Optional<Extension> agreed = new PerMessageDeflate().accept(offer(10), SERVER);
        assertEquals(NATIVE, agreed.isPresent());
        if (agreed.isEmpty()) {
            return;
        }
        byte[] text = new byte[6000];
        new Random(3).nextBytes(text);
        System.arraycopy(text, 0, text, 3000, 3000);
        try (Extension server = agreed.get();
             Extension client = new PerMessageDeflate().accepted(server.parameters(), CLIENT)) {
            for (int i = 0; i < 3; i++) {
                Frame sent = server.encoder().encode(Frame.binary(ByteBuffer.wrap(text)));
                assertTrue(sent.rsv1());
                Frame got = client.decoder().decode(sent);
                assertEquals(ByteBuffer.wrap(text), got.payload(), "message " + i);
            }
            long held = server.encoder().heldBytes();
            assertTrue(held <= 64 * 1024, "a 10-bit compressor within 64 KiB: " + held);
        }
    }

    private static ExtensionParameters offer(int windowBits) {
        return ExtensionHeader.parse(List.of("permessage-deflate; server_max_window_bits=" + windowBits)).get(0);
    }
}
