package dev.weft.api.tls;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Reads the host name a client asks for (the {@code server_name} extension, RFC 6066 §3) from the
 * first TLS record of a connection, its ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2), so that
 * a server can choose its certificate before it makes an engine. It only looks at the bytes (the
 * buffer's position does not move), checks every length against the bytes it has, and never throws:
 * bytes that are not a well-formed ClientHello give {@link Outcome#MALFORMED}. Only the first record
 * is read; a hello whose server name lies beyond it gives {@link Outcome#ABSENT}. Stateless and
 * thread-safe. Every transport's server reads it before choosing a {@link ServerTls#context context}
 * by SNI.
 *
 * <pre>
 *  record header     type(1) = 22 handshake | version(2) | length(2) | fragment...
 *  handshake header  msg_type(1) = 1 client_hello | length(3)
 *  client_hello      version(2) random(32) session_id&lt;0..32&gt; cipher_suites&lt;2..2^16-2&gt;
 *                    compression_methods&lt;1..2^8-1&gt; extensions&lt;0..2^16-1&gt;
 *  extension         type(2) | length(2) | data        server_name is type 0
 *  server_name data  list length(2) | { name_type(1) = 0 host_name | length(2) | name }...
 * </pre>
 */
public final class ClientHello {

    /** What the bytes so far say about the server name. */
    public enum Outcome {
        /** The first record is not complete yet. */
        NEED_MORE,
        /** The client asked for a host name. */
        FOUND,
        /** A ClientHello without a host name, or with it beyond the first record. */
        ABSENT,
        /** Not a ClientHello, or lengths that do not add up. */
        MALFORMED
    }

    /**
     * @param hostName the name, lower-case, if {@link Outcome#FOUND}; otherwise null
     */
    public record ServerName(Outcome outcome, String hostName) {
    }

    /** The most bytes {@link #read} ever needs before it answers: one whole plaintext record. */
    public static final int MAX_FIRST_RECORD = 5 + (1 << 14);

    private static final ServerName NEED_MORE = new ServerName(Outcome.NEED_MORE, null);
    private static final ServerName ABSENT = new ServerName(Outcome.ABSENT, null);
    private static final ServerName MALFORMED = new ServerName(Outcome.MALFORMED, null);

    private static final int RECORD_HEADER = 5;
    private static final int CONTENT_TYPE_HANDSHAKE = 22;
    /** Every TLS version's record layer says 3 here (SSL 3.0 was 3.0, TLS 1.2 is 3.3). */
    private static final int RECORD_VERSION_MAJOR = 3;
    /** "The length MUST NOT exceed 2^14 bytes" for a plaintext record (RFC 8446 §5.1). */
    private static final int MAX_PLAINTEXT_LENGTH = 1 << 14;
    private static final int HANDSHAKE_TYPE_CLIENT_HELLO = 1;
    private static final int RANDOM_LENGTH = 32;
    private static final int MAX_SESSION_ID_LENGTH = 32;
    private static final int EXTENSION_SERVER_NAME = 0;
    private static final int NAME_TYPE_HOST_NAME = 0;
    /** A DNS name is at most 255 octets (RFC 1035 §2.3.4). */
    private static final int MAX_HOST_NAME_LENGTH = 255;

    private ClientHello() {
    }

    /** The server name in the ClientHello that {@code bytes} (position to limit) start with. */
    public static ServerName read(ByteBuffer bytes) {
        int start = bytes.position();
        int available = bytes.remaining();
        if (available == 0) {
            return NEED_MORE;
        }
        if (u8(bytes, start) != CONTENT_TYPE_HANDSHAKE) {
            return MALFORMED;
        }
        if (available < RECORD_HEADER) {
            return NEED_MORE;
        }
        int recordLength = u16(bytes, start + 3);
        if (u8(bytes, start + 1) != RECORD_VERSION_MAJOR || recordLength == 0 || recordLength > MAX_PLAINTEXT_LENGTH) {
            return MALFORMED;
        }
        if (available < RECORD_HEADER + recordLength) {
            return NEED_MORE;
        }
        Cursor record = new Cursor(bytes, start + RECORD_HEADER, start + RECORD_HEADER + recordLength);
        boolean fragmented = false;
        try {
            if (record.u8() != HANDSHAKE_TYPE_CLIENT_HELLO) {
                return MALFORMED;
            }
            int helloLength = record.u24();
            // A hello longer than its record continues in the next one (RFC 8446 §5.1 allows it):
            // read what this record holds, and a name beyond it counts as absent.
            fragmented = helloLength > record.remaining();
            return serverName(fragmented ? record : record.slice(helloLength), fragmented);
        } catch (OutOfBounds e) {
            return fragmented ? ABSENT : MALFORMED;
        }
    }

    private static ServerName serverName(Cursor hello, boolean fragmented) throws OutOfBounds {
        hello.skip(2 + RANDOM_LENGTH);
        int sessionIdLength = hello.u8();
        if (sessionIdLength > MAX_SESSION_ID_LENGTH) {
            return MALFORMED;
        }
        hello.skip(sessionIdLength);
        hello.skip(hello.u16());
        hello.skip(hello.u8());
        if (hello.remaining() == 0) {
            return ABSENT; // TLS 1.2 allows a hello without extensions (RFC 5246 §7.4.1.2)
        }
        int extensionsLength = hello.u16();
        // Of a fragmented hello, the extensions up to the end of the record; each must be whole.
        Cursor extensions = hello.slice(fragmented ? Math.min(extensionsLength, hello.remaining()) : extensionsLength);
        while (extensions.remaining() > 0) {
            int type = extensions.u16();
            Cursor data = extensions.slice(extensions.u16());
            if (type == EXTENSION_SERVER_NAME) {
                return hostName(data);
            }
        }
        return ABSENT;
    }

    private static ServerName hostName(Cursor extension) throws OutOfBounds {
        Cursor names = extension.slice(extension.u16());
        while (names.remaining() > 0) {
            int nameType = names.u8();
            Cursor name = names.slice(names.u16());
            if (nameType == NAME_TYPE_HOST_NAME) {
                return validHostName(name);
            }
        }
        return ABSENT;
    }

    /** "The hostname is represented as a byte string using ASCII encoding without a trailing dot" (RFC 6066 §3). */
    private static ServerName validHostName(Cursor name) throws OutOfBounds {
        int length = name.remaining();
        if (length == 0 || length > MAX_HOST_NAME_LENGTH) {
            return MALFORMED;
        }
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            char c = (char) name.u8();
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_';
            if (!allowed) {
                return MALFORMED;
            }
            sb.append(c);
        }
        if (sb.charAt(length - 1) == '.') {
            return MALFORMED;
        }
        return new ServerName(Outcome.FOUND, sb.toString().toLowerCase(Locale.ROOT));
    }

    private static int u8(ByteBuffer bytes, int at) {
        return bytes.get(at) & 0xFF;
    }

    private static int u16(ByteBuffer bytes, int at) {
        return (u8(bytes, at) << 8) | u8(bytes, at + 1);
    }

    /** Reading past the end of a length the hello declared, or past the record. */
    private static final class OutOfBounds extends Exception {
        private static final long serialVersionUID = 1L;
        static final OutOfBounds INSTANCE = new OutOfBounds();

        private OutOfBounds() {
            super("out of bounds", null, false, false);
        }
    }

    /** Reads big-endian integers between two absolute indexes of a buffer, never past the end. */
    private static final class Cursor {
        private final ByteBuffer bytes;
        private int at;
        private final int end;

        Cursor(ByteBuffer bytes, int from, int end) {
            this.bytes = bytes;
            this.at = from;
            this.end = end;
        }

        int remaining() {
            return end - at;
        }

        int u8() throws OutOfBounds {
            need(1);
            return ClientHello.u8(bytes, at++);
        }

        int u16() throws OutOfBounds {
            need(2);
            int value = ClientHello.u16(bytes, at);
            at += 2;
            return value;
        }

        int u24() throws OutOfBounds {
            need(3);
            int value = (ClientHello.u8(bytes, at) << 16) | ClientHello.u16(bytes, at + 1);
            at += 3;
            return value;
        }

        void skip(int n) throws OutOfBounds {
            need(n);
            at += n;
        }

        /** The next {@code length} bytes as a cursor of their own; this one moves past them. */
        Cursor slice(int length) throws OutOfBounds {
            need(length);
            Cursor slice = new Cursor(bytes, at, at + length);
            at += length;
            return slice;
        }

        private void need(int n) throws OutOfBounds {
            if (n > end - at) {
                throw OutOfBounds.INSTANCE;
            }
        }
    }
}
