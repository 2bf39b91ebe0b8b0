package dev.weft.benchmarks.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * An attacker's connection: a plain blocking {@link Socket} to 127.0.0.1, the opening handshake
 * written by hand, and whatever bytes the attack chooses after it. What the server sends back is
 * read only when the attack polls, through {@link ServerFrames}; a close frame, an HTTP answer to
 * the handshake or the end of the TCP stream ends the connection with a {@link ConnectionEnded}.
 * Used by one thread at a time; {@link Run#end()} may close the socket from another.
 */
final class RawWebSocket implements AutoCloseable {

    static final String HOST = "127.0.0.1";

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** How long an attacker waits for the server to answer its (whole) opening handshake. */
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(10);
    /** An answer head longer than this is not a WebSocket server's. */
    private static final int MAX_HEAD = 16 * 1024;
    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

    private final Run run;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] readBuffer = new byte[64 * 1024];
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private final ServerFrames frames = new ServerFrames();
    private boolean upgraded;
    private String agreedExtensions = "";

    private RawWebSocket(Socket socket, Run run) throws IOException {
        this.run = run;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Opens a TCP connection to 127.0.0.1:{@code port}, closed by the run when it ends. */
    static RawWebSocket connect(int port, Run run) throws IOException {
        Socket s = new Socket();
        run.opened(s);
        try {
            s.connect(new InetSocketAddress(HOST, port), CONNECT_TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            return new RawWebSocket(s, run);
        } catch (IOException e) {
            run.close(s);
            throw e;
        }
    }

    /**
     * The start of an opening handshake request for {@code path}, every line ended but without the
     * empty line that ends the head.
     */
    static String requestHead(String path, String extensionOffer) {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + HOST + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + (extensionOffer == null ? "" : "Sec-WebSocket-Extensions: " + extensionOffer + "\r\n");
    }

    /**
     * Performs the opening handshake.
     *
     * @param extensionOffer the {@code Sec-WebSocket-Extensions} value to offer, or {@code null}
     * @return the extensions the server agreed, as its response lists them ({@code ""} for none)
     * @throws ConnectionEnded if the server answers with anything but 101, closes, or does not answer
     */
    String upgrade(String path, String extensionOffer) throws IOException, ConnectionEnded {
        write((requestHead(path, extensionOffer) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        if (!awaitAnswer(ANSWER_WAIT)) {
            throw ConnectionEnded.by(ConnectionEnded.NO_ANSWER);
        }
        return agreedExtensions;
    }

    /**
     * Reads the server's answer to the opening handshake for up to {@code wait}.
     *
     * @return whether the server switched protocols ({@code false}: no whole answer yet)
     * @throws ConnectionEnded for an answer other than 101, or the end of the stream
     */
    boolean awaitAnswer(Duration wait) throws IOException, ConnectionEnded {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!upgraded) {
            int n = readSome(deadline);
            if (n == 0) {
                return false;
            }
            head.write(readBuffer, 0, n);
            byte[] got = head.toByteArray();
            int end = indexOf(got, END_OF_HEAD);
            if (end < 0) {
                if (got.length > MAX_HEAD) {
                    throw ConnectionEnded.by("http answer over " + MAX_HEAD + " bytes");
                }
                continue;
            }
            String answer = new String(got, 0, end, StandardCharsets.ISO_8859_1);
            int status = statusOf(answer);
            if (status != 101) {
                throw ConnectionEnded.by("http " + status);
            }
            agreedExtensions = headerValues(answer, "sec-websocket-extensions");
            upgraded = true;
            frames.feed(got, end + END_OF_HEAD.length, got.length);
            endIfClosed();
        }
        return true;
    }

    /** Reads what the server sends for {@code wait}, counting frames. */
    void poll(Duration wait) throws IOException, ConnectionEnded {
        pollUntil(wait, () -> false);
    }

    /**
     * Reads what the server sends until {@code done} holds or {@code wait} has passed.
     *
     * @return whether {@code done} holds
     * @throws ConnectionEnded on a close frame or the end of the stream
     */
    boolean pollUntil(Duration wait, BooleanSupplier done) throws IOException, ConnectionEnded {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!done.getAsBoolean()) {
            int n = readSome(deadline);
            if (n == 0) {
                return false;
            }
            frames.feed(readBuffer, 0, n);
            endIfClosed();
        }
        return true;
    }

    /** The frames read so far. */
    ServerFrames frames() {
        return frames;
    }

    /** Writes {@code bytes}; blocks while the server does not read. */
    void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /** Writes {@code bytes[from, to)}. */
    void write(byte[] bytes, int from, int to) throws IOException {
        out.write(bytes, from, to - from);
    }

    /** Closes the TCP connection at once, without a close frame. */
    @Override
    public void close() {
        run.close(socket);
    }

    /**
     * Reads once, waiting until {@code deadline} at most.
     *
     * @return bytes read into {@link #readBuffer}, or 0 if none came in time
     * @throws ConnectionEnded at the end of the stream
     */
    private int readSome(long deadline) throws IOException, ConnectionEnded {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return 0;
        }
        // A timeout of 0 would mean forever: wait at least a millisecond.
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
        int n;
        try {
            n = in.read(readBuffer);
        } catch (SocketTimeoutException e) {
            return 0;
        }
        if (n < 0) {
            throw ConnectionEnded.by(ConnectionEnded.EOF);
        }
        return n;
    }

    private void endIfClosed() throws ConnectionEnded {
        if (frames.closeCode() != ServerFrames.OPEN) {
            throw ConnectionEnded.closed(frames.closeCode());
        }
    }

    private static int statusOf(String answer) {
        // "HTTP/1.1 101 Switching Protocols"
        String[] parts = answer.split(" ", 3);
        try {
            return parts.length >= 2 ? Integer.parseInt(parts[1]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The values of every header field called {@code name} (lower case), joined with ", ". */
    private static String headerValues(String answer, String name) {
        StringBuilder values = new StringBuilder();
        for (String line : answer.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                values.append(values.length() == 0 ? "" : ", ").append(line.substring(colon + 1).trim());
            }
        }
        return values.toString();
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int k = 0; k < part.length; k++) {
                if (bytes[i + k] != part[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
