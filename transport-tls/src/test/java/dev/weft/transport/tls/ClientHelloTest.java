package dev.weft.transport.tls;

import dev.weft.api.tls.ClientHello;
import dev.weft.api.tls.ClientHello.Outcome;
import dev.weft.api.tls.ClientHello.ServerName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server name read from ClientHellos the JDK makes, cut and corrupted, and from hand-made ones. */
class ClientHelloTest {

    private static final String NAME = "example.test";

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void readsTheNameFromARealHello(String protocol) throws Exception {
        assertEquals(new ServerName(Outcome.FOUND, NAME), read(realHello(protocol, NAME)));
    }

    @Test
    void namesComeOutLowerCase() throws Exception {
        assertEquals(new ServerName(Outcome.FOUND, NAME), read(realHello("TLSv1.3", "Example.TEST")));
    }

    @Test
    void aHelloWithoutTheExtensionHasNoName() throws Exception {
        assertEquals(Outcome.ABSENT, read(realHello("TLSv1.3", null)).outcome());
    }

    @Test
    void readingMovesNothing() throws Exception {
        ByteBuffer hello = ByteBuffer.wrap(realHello("TLSv1.3", NAME));
        ClientHello.read(hello);
        assertEquals(0, hello.position());
    }

    @Test
    void everyCutOfTheRecordNeedsMore() throws Exception {
        byte[] hello = realHello("TLSv1.3", NAME);
        for (int n = 0; n < hello.length; n++) {
            assertEquals(Outcome.NEED_MORE, read(Arrays.copyOf(hello, n)).outcome(), "cut at " + n);
        }
    }

    @Test
    void aRecordThatEndsInsideTheHelloIsReadAsFarAsItGoes() throws Exception {
        // The hello continues in a record that is not there: found if the name is in this one.
        byte[] hello = realHello("TLSv1.3", NAME);
        int nameEnd = indexOf(hello, NAME.getBytes(StandardCharsets.US_ASCII)) + NAME.length();
        for (int fragment = 1; fragment < hello.length - 5; fragment++) {
            byte[] record = Arrays.copyOf(hello, 5 + fragment);
            record[3] = (byte) (fragment >> 8);
            record[4] = (byte) fragment;
            ServerName name = read(record);
            if (5 + fragment >= nameEnd) {
                assertEquals(new ServerName(Outcome.FOUND, NAME), name, "fragment of " + fragment);
            } else {
                assertNotEquals(Outcome.FOUND, name.outcome(), "fragment of " + fragment);
                assertNotEquals(Outcome.NEED_MORE, name.outcome(), "fragment of " + fragment);
            }
        }
    }

    @Test
    void trailingBytesAfterTheRecordDoNotMatter() throws Exception {
        byte[] hello = realHello("TLSv1.2", NAME);
        byte[] more = Arrays.copyOf(hello, hello.length + 100);
        assertEquals(new ServerName(Outcome.FOUND, NAME), read(more));
    }

    @Test
    void bytesThatAreNotAHelloAreMalformed() {
        List<byte[]> notHellos = List.of(
                "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII),
                new byte[] {23, 3, 3, 0, 1, 0},                      // application data
                new byte[] {22, 2, 0, 0, 4, 1, 0, 0, 0},             // record version 2.0
                new byte[] {22, 3, 1, 0x40, 1},                      // longer than any plaintext record
                new byte[] {22, 3, 1, 0, 0},                         // an empty record
                new byte[] {22, 3, 1, 0, 4, 2, 0, 0, 0},             // a ServerHello
                new byte[] {22, 3, 1, 0, 4, 1, 0, 0, 0},             // a hello of length 0
                hello(33, sni(0, NAME.getBytes(StandardCharsets.US_ASCII))),  // a 33-byte session id
                hello(0, sni(0, new byte[0])),                       // an empty name
                hello(0, sni(0, "bad name".getBytes(StandardCharsets.US_ASCII))),
                hello(0, sni(0, "trailing.dot.".getBytes(StandardCharsets.US_ASCII))),
                hello(0, sni(0, "é.test".getBytes(StandardCharsets.UTF_8))),
                hello(0, sni(0, "x".repeat(256).getBytes(StandardCharsets.US_ASCII))));
        for (byte[] bytes : notHellos) {
            assertEquals(Outcome.MALFORMED, read(bytes).outcome(), Arrays.toString(Arrays.copyOf(bytes, Math.min(12, bytes.length))));
        }
    }

    @Test
    void lengthsThatOverrunTheirParentAreMalformed() {
        byte[] good = hello(0, sni(0, NAME.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(new ServerName(Outcome.FOUND, NAME), read(good));
        int extensions = good.length - sni(0, NAME.getBytes(StandardCharsets.US_ASCII)).length - 2;
        // Each length field in turn claims more than there is: extensions, the extension, its list, the name.
        for (int field : new int[] {extensions, extensions + 4, extensions + 6, extensions + 9}) {
            byte[] bad = good.clone();
            bad[field] = (byte) 0x7F;
            assertEquals(Outcome.MALFORMED, read(bad).outcome(), "length at " + field);
        }
    }

    @Test
    void otherNameTypesAndExtensionsAreSkipped() {
        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        extensions.writeBytes(extension(0xFF01, new byte[] {0}));    // renegotiation_info
        byte[] list = concat(entry(7, "opaque".getBytes(StandardCharsets.US_ASCII)), entry(0, NAME.getBytes(StandardCharsets.US_ASCII)));
        extensions.writeBytes(extension(0, concat(u16(list.length), list)));
        assertEquals(new ServerName(Outcome.FOUND, NAME), read(hello(0, extensions.toByteArray())));
    }

    @Test
    void aHelloWithoutExtensionsHasNoName() {
        byte[] body = helloBody(0, null);
        assertEquals(Outcome.ABSENT, read(record(body)).outcome());
    }

    @Test
    void randomCorruptionNeverThrows() throws Exception {
        byte[] hello = realHello("TLSv1.3", NAME);
        Random random = new Random(6066);
        for (int i = 0; i < 20_000; i++) {
            byte[] bad = hello.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            }
            ServerName name = read(Arrays.copyOf(bad, random.nextInt(bad.length + 1)));
            assertNotNull(name.outcome());
            assertTrue(name.outcome() == Outcome.FOUND == (name.hostName() != null));
        }
    }

    // ---------------------------------------------------------------- hellos

    private static ServerName read(byte[] bytes) {
        return ClientHello.read(ByteBuffer.wrap(bytes));
    }

    /** The first record a JDK client sends, with {@code sni} as its server name (none if null). */
    static byte[] realHello(String protocol, String sni) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(new String[] {protocol});
        parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        engine.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    /** A minimal hello in a record: one cipher suite, null compression, and {@code extensions}. */
    private static byte[] hello(int sessionIdLength, byte[] extensions) {
        return record(helloBody(sessionIdLength, extensions));
    }

    private static byte[] helloBody(int sessionIdLength, byte[] extensions) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {3, 3});
        body.writeBytes(new byte[32]);
        body.write(sessionIdLength);
        body.writeBytes(new byte[sessionIdLength]);
        body.writeBytes(new byte[] {0, 2, 0x13, 0x01});
        body.writeBytes(new byte[] {1, 0});
        if (extensions != null) {
            body.writeBytes(u16(extensions.length));
            body.writeBytes(extensions);
        }
        return body.toByteArray();
    }

    private static byte[] record(byte[] helloBody) {
        byte[] handshake = concat(new byte[] {1, 0}, u16(helloBody.length), helloBody);
        return concat(new byte[] {22, 3, 1}, u16(handshake.length), handshake);
    }

    /** A server_name extension with one entry. */
    private static byte[] sni(int nameType, byte[] name) {
        byte[] entry = entry(nameType, name);
        return extension(0, concat(u16(entry.length), entry));
    }

    private static byte[] entry(int nameType, byte[] name) {
        return concat(new byte[] {(byte) nameType}, u16(name.length), name);
    }

    private static byte[] extension(int type, byte[] data) {
        return concat(u16(type), u16(data.length), data);
    }

    private static byte[] u16(int value) {
        return new byte[] {(byte) (value >> 8), (byte) value};
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
