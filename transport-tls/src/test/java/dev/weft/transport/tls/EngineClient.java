package dev.weft.transport.tls;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.core.frame.FrameCollector;
import dev.weft.core.frame.FrameDecoder;
import dev.weft.core.frame.FrameEncoder;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A WebSocket client done by hand, on a blocking socket and an {@link SSLEngine} of its own, for
 * wire-level tests: it writes its TLS records the way a test says (each write whole, or one byte per
 * write), puts several records in one write when asked, and reads frames with a strict client
 * decoder. Not thread-safe.
 */
final class EngineClient implements AutoCloseable {

    /** How records go to the socket. */
    enum Writes { WHOLE, ONE_BYTE_AT_A_TIME }

    static final String UPGRADE = "GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final SSLEngine engine;
    private final Writes writes;
    /** Network bytes not unwrapped yet, in read mode. */
    private ByteBuffer network = ByteBuffer.allocate(64 * 1024).flip();
    /** Plaintext not consumed yet. */
    private final ByteArrayOutputStream plaintext = new ByteArrayOutputStream();
    private final FrameEncoder encoder = new FrameEncoder(Role.CLIENT, () -> 0x1234_5678);
    private final FrameDecoder decoder = new FrameDecoder(Role.CLIENT, Integer.MAX_VALUE);
    private final FrameCollector collector = new FrameCollector();
    private boolean closeNotifyReceived;

    EngineClient(int port, SSLContext context, String protocol, Writes writes) throws IOException {
        this.writes = writes;
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        engine = context.createSSLEngine("localhost", port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(new String[] {protocol});
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setServerNames(List.of(new SNIHostName("localhost")));
        engine.setSSLParameters(parameters);
    }

    /** Runs the TLS handshake to its end. */
    void handshake() throws IOException {
        handshake(null);
    }

    /**
     * Runs the TLS handshake, and sends its last flight in one write with the records of
     * {@code firstData} if not null.
     */
    void handshake(byte[] firstData) throws IOException {
        engine.beginHandshake();
        ByteArrayOutputStream flight = new ByteArrayOutputStream();
        boolean handshaking = true;
        while (handshaking) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> flight.writeBytes(wrap(new byte[0]));
                case NEED_UNWRAP -> {
                    if (flight.size() > 0) {
                        writeRecords(flight.toByteArray());
                        flight.reset();
                    }
                    unwrapOne();
                }
                case NEED_TASK -> {
                    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                        task.run();
                    }
                }
                default -> handshaking = false;
            }
        }
        if (firstData != null) {
            flight.writeBytes(wrap(firstData));
        }
        if (flight.size() > 0) {
            writeRecords(flight.toByteArray());
        }
    }

    /** Sends the upgrade request for /echo and checks the 101. */
    void upgrade() throws IOException {
        send(UPGRADE.getBytes(StandardCharsets.US_ASCII));
        expectUpgraded();
    }

    /** Reads the response to an upgrade request and checks it is a 101. */
    void expectUpgraded() throws IOException {
        String head = readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("not upgraded: " + head);
        }
    }

    /** Sends each plaintext in records of its own, all of them in one write (or byte by byte). */
    void send(byte[]... plaintexts) throws IOException {
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        for (byte[] p : plaintexts) {
            records.writeBytes(wrap(p));
        }
        writeRecords(records.toByteArray());
    }

    /** The records of {@code bytes}, without sending them. */
    byte[] records(byte[] bytes) throws IOException {
        return wrap(bytes);
    }

    /** Writes bytes as they are. */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** A masked frame. */
    byte[] frame(Opcode opcode, byte[] payload) {
        ByteBuffer frame = encoder.encode(FrameEncoder.firstByte(true, 0, opcode.code()), ByteBuffer.wrap(payload));
        return Arrays.copyOf(frame.array(), frame.remaining());
    }

    /** The next frame from the server. */
    Frame nextFrame() throws IOException {
        while (collector.frames().isEmpty()) {
            if (plaintext.size() == 0) {
                unwrapOne();
                continue;
            }
            ByteBuffer bytes = ByteBuffer.wrap(plaintext.toByteArray());
            plaintext.reset();
            decoder.decode(bytes, collector);
        }
        return collector.frames().poll();
    }

    /** Reads until the server's close_notify, then expects the TCP connection to end. */
    void expectCloseNotifyThenEnd() throws IOException {
        while (!closeNotifyReceived) {
            unwrapOne();
        }
        if (in.read() != -1) {
            throw new IOException("bytes after close_notify");
        }
    }

    /** Reads (and drops) whatever comes until the server ends the TCP connection. */
    void expectEnd() throws IOException {
        in.readAllBytes();
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private String readHead() throws IOException {
        while (true) {
            byte[] bytes = plaintext.toByteArray();
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                plaintext.reset();
                plaintext.write(bytes, end + 4, bytes.length - end - 4);
                return text.substring(0, end + 4);
            }
            unwrapOne();
        }
    }

    private byte[] wrap(byte[] bytes) throws IOException {
        ByteBuffer source = ByteBuffer.wrap(bytes);
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        do {
            ByteBuffer record = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            SSLEngineResult result = engine.wrap(source, record);
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                throw new IOException("wrap: " + result);
            }
            records.write(record.array(), 0, record.position());
        } while (source.hasRemaining());
        return records.toByteArray();
    }

    private void writeRecords(byte[] records) throws IOException {
        if (writes == Writes.WHOLE) {
            out.write(records);
            out.flush();
        } else {
            for (byte b : records) {
                out.write(b);
                out.flush();
            }
        }
    }

    /** Unwraps one record, reading from the socket as needed. */
    private void unwrapOne() throws IOException {
        while (true) {
            ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            SSLEngineResult result = engine.unwrap(network, app);
            switch (result.getStatus()) {
                case OK -> {
                    plaintext.write(app.array(), 0, app.position());
                    return;
                }
                case CLOSED -> {
                    closeNotifyReceived = true;
                    return;
                }
                case BUFFER_UNDERFLOW -> readMore();
                default -> throw new IOException("unwrap: " + result);
            }
        }
    }

    private void readMore() throws IOException {
        network.compact();
        if (!network.hasRemaining()) {
            network = ByteBuffer.allocate(network.capacity() * 2).put(network.flip());
        }
        int n = in.read(network.array(), network.position(), network.remaining());
        if (n < 0) {
            throw new EOFException("the server closed the connection");
        }
        network.position(network.position() + n).flip();
    }
}
