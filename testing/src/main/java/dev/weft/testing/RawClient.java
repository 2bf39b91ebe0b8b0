package dev.weft.testing;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.core.frame.FrameCollector;
import dev.weft.core.frame.FrameDecoder;
import dev.weft.core.frame.FrameEncoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A blocking-socket client that speaks raw bytes, for wire-level tests of a server on
 * {@code 127.0.0.1}: it writes exactly what a test says (in as many pieces as it says) and reads
 * frames back with a strict client decoder. Whatever the server's transport, a test sees the bytes
 * it sends. Not thread-safe.
 */
public final class RawClient implements AutoCloseable {

    /** A valid upgrade request for {@code /echo}, with the key of RFC 6455 §1.3. */
    public static final String UPGRADE = "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameEncoder encoder = new FrameEncoder(Role.CLIENT, () -> 0x12345678);
    private final FrameDecoder decoder = new FrameDecoder(Role.CLIENT, Integer.MAX_VALUE);
    private final FrameCollector frames = new FrameCollector();

    /** Connects to {@code port} on 127.0.0.1 (reads time out after 20 seconds). */
    public RawClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Connects and completes a valid opening handshake on /echo. */
    public static RawClient upgraded(int port) throws IOException {
        RawClient c = new RawClient(port);
        c.send(UPGRADE);
        String head = c.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("not upgraded: " + head);
        }
        return c;
    }

    /** Writes {@code ascii} as Latin-1 bytes. */
    public void send(String ascii) throws IOException {
        send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes {@code bytes} in one write. */
    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The bytes of a masked frame. */
    public byte[] frame(boolean fin, Opcode opcode, byte[] payload) {
        return frame(FrameEncoder.firstByte(fin, 0, opcode.code()), payload);
    }

    /**
     * The bytes of a masked frame whose first byte is {@code firstByte} as given: FIN, any RSV bits
     * and any opcode, reserved ones included, for frames a server must refuse.
     */
    public byte[] frame(int firstByte, byte[] payload) {
        ByteBuffer whole = encoder.encode(firstByte, ByteBuffer.wrap(payload));
        byte[] b = new byte[whole.remaining()];
        whole.get(b);
        return b;
    }

    /** Reads an HTTP head (through the blank line), byte by byte, so no frame bytes are taken. */
    public String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream inside the head: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads the rest of the stream after a head (a response body), until the server closes. */
    public String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The next frame from the server. */
    public Frame readFrame() throws IOException {
        byte[] buffer = new byte[8192];
        while (frames.frames().isEmpty()) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("end of stream before a frame");
            }
            decoder.decode(ByteBuffer.wrap(buffer, 0, n), frames);
        }
        return frames.frames().poll();
    }

    /** Whether the server closed the connection (read returns end of stream) — after any frames. */
    public boolean readsEndOfStream() throws IOException {
        return in.read() < 0;
    }

    /** The socket, for its options (a small receive buffer, a short read timeout) and its port. */
    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
