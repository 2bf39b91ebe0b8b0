package dev.weft.testing;

import dev.weft.api.Connection;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.HandshakeResponse;
import dev.weft.api.handshake.Headers;
import dev.weft.core.frame.FrameCollector;
import dev.weft.core.frame.FrameDecoder;
import dev.weft.core.frame.FrameEncoder;
import dev.weft.core.frame.MaskKeySource;
import dev.weft.core.handshake.ClientHandshake;
import dev.weft.core.handshake.HttpHeadParser;
import dev.weft.core.handshake.ServerHandshake;
import dev.weft.core.session.Session;
import dev.weft.core.session.SessionOptions;
import dev.weft.core.session.Transport;
import dev.weft.testing.loop.ManualScheduler;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.Random;

/**
 * A real session facing a scripted peer that sends and reads raw bytes: for testing how an
 * endpoint answers exactly the input a test chooses, malformed input included.
 *
 * <pre>{@code
 * ScriptedPeer peer = ScriptedPeer.client(handler, WebSocketConfig.defaults());  // a server session, handshake done
 * peer.sendFrame(true, Frame.RSV2, Opcode.TEXT, "x".getBytes(UTF_8));            // masked, as a client must
 * peer.flush();
 * assertEquals(1002, peer.closeCode());
 * }</pre>
 *
 * Like {@link InMemoryPair}, nothing moves until {@link #flush()} or {@link #advance(Duration)}.
 */
public final class ScriptedPeer {

    private static final int FIXED_MASK_KEY = 0x37FA213D;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final MemoryEnd peerEnd = new MemoryEnd(40000);
    private final MemoryEnd sessionEnd = new MemoryEnd(8080);
    private final Role peerRole;
    private final FrameEncoder encoder;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private ServerSide serverSide;
    private ClientSide clientSide;
    private boolean endOfInput;

    private ScriptedPeer(Role peerRole) {
        this.peerRole = peerRole;
        this.encoder = new FrameEncoder(peerRole, () -> FIXED_MASK_KEY);
        MemoryEnd.connect(peerEnd, sessionEnd);
        peerEnd.reader(new MemoryEnd.Reader() {
            @Override
            public void onBytes(ByteBuffer bytes) {
                byte[] b = new byte[bytes.remaining()];
                bytes.get(b);
                received.writeBytes(b);
            }

            @Override
            public void onEndOfInput() {
                endOfInput = true;
            }
        });
    }

    /**
     * A server session running {@code handler}, facing a scripted client that has completed a valid
     * opening handshake (no subprotocol, no extensions). Its raw bytes start after the 101 response.
     */
    public static ScriptedPeer client(WebSocketHandler handler, WebSocketConfig config) {
        return client(handler, config, SessionOptions.DEFAULT);
    }

    /**
     * Like {@link #client(WebSocketHandler, WebSocketConfig)}, with the server session's memory
     * counting against {@code budget}, as a server's connections do.
     */
    public static ScriptedPeer client(WebSocketHandler handler, WebSocketConfig config, MemoryLimit budget) {
        return client(handler, config, SessionOptions.DEFAULT.budget(budget.budget()));
    }

    /**
     * Like {@link #client(WebSocketHandler, WebSocketConfig)}, with the handler called on
     * {@code callbacks}, one call at a time and in order, as a transport configured with a handler
     * executor does.
     */
    public static ScriptedPeer client(WebSocketHandler handler, WebSocketConfig config, Executor callbacks) {
        return client(handler, config, SessionOptions.DEFAULT.callbackExecutor(callbacks));
    }

    private static ScriptedPeer client(WebSocketHandler handler, WebSocketConfig config, SessionOptions options) {
        ScriptedPeer peer = rawClient(handler, config);
        peer.serverSide.options = options;
        WebSocketConfig plain = WebSocketConfig.builder().extensions(List.of()).build();
        ClientHandshake handshake = new ClientHandshake(URI.create("ws://127.0.0.1:8080/"), Headers.empty(), plain,
                new Random(1));
        peer.sendRaw(handshake.requestBytes());
        peer.flush();
        ByteBuffer in = ByteBuffer.wrap(peer.takeReceived());
        HttpHeadParser parser = HttpHeadParser.forResponse(64 * 1024, 100);
        if (!parser.parse(in)) {
            throw new IllegalStateException("no complete handshake response: " + peer.serverSide.rejection());
        }
        handshake.accept(parser.response());
        peer.keepUnread(in);
        return peer;
    }

    /**
     * A server session running {@code handler}, facing a scripted client that has sent nothing yet:
     * for testing the opening handshake itself.
     */
    public static ScriptedPeer rawClient(WebSocketHandler handler, WebSocketConfig config) {
        ScriptedPeer peer = new ScriptedPeer(Role.CLIENT);
        peer.serverSide = new ServerSide(peer.sessionEnd, peer.scheduler, config, new ServerHandshake(config, List.of()),
                handler);
        return peer;
    }

    /**
     * A client session running {@code handler}, facing a scripted server that has answered its
     * opening handshake with a valid 101 (no subprotocol, no extensions). Its raw bytes start after
     * the request.
     */
    public static ScriptedPeer server(WebSocketHandler handler, WebSocketConfig config) {
        ScriptedPeer peer = new ScriptedPeer(Role.SERVER);
        ClientHandshake handshake = new ClientHandshake(URI.create("ws://127.0.0.1:8080/"), Headers.empty(), config,
                new Random(1));
        peer.clientSide = new ClientSide(peer.sessionEnd, peer.scheduler, config, handshake, handler);
        peer.clientSide.options = SessionOptions.DEFAULT.maskKeys(() -> FIXED_MASK_KEY);
        peer.flush();
        ByteBuffer in = ByteBuffer.wrap(peer.takeReceived());
        HttpHeadParser parser = HttpHeadParser.forRequest(64 * 1024, 100);
        if (!parser.parse(in)) {
            throw new IllegalStateException("the client sent no complete request");
        }
        WebSocketConfig plain = WebSocketConfig.builder().extensions(List.of()).build();
        ServerHandshake.Result answer = new ServerHandshake(plain, List.of()).answer(parser.request());
        if (!(answer instanceof ServerHandshake.Accepted accepted)) {
            throw new HandshakeException(0, "the client's request was refused: " + ((ServerHandshake.Rejected) answer).problem());
        }
        peer.sendRaw(accepted.responseBytes());
        peer.flush();
        return peer;
    }

    /** The real session's connection. */
    public Connection connection() {
        Session s = serverSide != null ? serverSide.session() : clientSide.session();
        if (s == null) {
            throw new IllegalStateException("no session: the opening handshake did not complete");
        }
        return s.connection();
    }

    /** Queues raw bytes for the session. */
    public ScriptedPeer sendRaw(byte[] bytes) {
        return sendRaw(ByteBuffer.wrap(bytes));
    }

    /** Queues raw bytes for the session. */
    public ScriptedPeer sendRaw(ByteBuffer bytes) {
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining()).put(bytes.duplicate()).flip();
        peerEnd.write(Transport.Kind.DATA, copy, null, null);
        return this;
    }

    /** Queues raw bytes given in hex ({@code "81 05 48 65 6c 6c 6f"}; spaces ignored). */
    public ScriptedPeer sendHex(String hex) {
        return sendRaw(hex(hex));
    }

    /** Queues UTF-8 text as raw bytes (an HTTP head, say). */
    public ScriptedPeer sendAscii(String text) {
        return sendRaw(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Queues one frame exactly as given, masked with a fixed key if this peer is a client. */
    public ScriptedPeer sendFrame(boolean fin, int rsv, Opcode opcode, byte[] payload) {
        return sendRawFrame(FrameEncoder.firstByte(fin, rsv, opcode.code()), payload);
    }

    /**
     * Queues one frame with this first header byte (FIN, reserved bits and any 4-bit opcode,
     * reserved opcodes included), masked with a fixed key if this peer is a client.
     */
    public ScriptedPeer sendRawFrame(int firstByte, byte[] payload) {
        peerEnd.write(Transport.Kind.DATA, ByteBuffer.wrap(frameBytes(firstByte, payload)), null, null);
        return this;
    }

    /** The wire bytes of a frame as {@link #sendRawFrame} would send it, for sending in pieces. */
    public byte[] frameBytes(int firstByte, byte[] payload) {
        ByteBuffer body = ByteBuffer.wrap(payload);
        ByteBuffer head = encoder.encode(firstByte, body);
        ByteBuffer out = ByteBuffer.allocate(head.remaining() + (encoder.masks() ? 0 : body.remaining()));
        out.put(head);
        if (!encoder.masks()) {
            out.put(body);
        }
        return out.array();
    }

    /** Queues a close frame with this code and reason. */
    public ScriptedPeer sendClose(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        return sendFrame(true, 0, Opcode.CLOSE, ByteBuffer.allocate(2 + r.length).putShort((short) code).put(r).array());
    }

    /** Half-closes the peer's side of the pipe: the session sees the end of input; the peer still reads. */
    public ScriptedPeer endOutput() {
        peerEnd.shutdownOutput();
        return this;
    }

    /** Delivers bytes both ways and runs tasks until nothing is in flight. */
    public ScriptedPeer flush() {
        MemoryEnd.pump(scheduler, peerEnd, sessionEnd);
        return this;
    }

    /** Moves the clock forward, delivering bytes as they are written. */
    public ScriptedPeer advance(Duration delay) {
        flush();
        scheduler.advance(delay);
        return flush();
    }

    /** The raw bytes the session wrote since the last call. */
    public byte[] takeReceived() {
        byte[] bytes = received.toByteArray();
        received.reset();
        return bytes;
    }

    /**
     * The frames the session wrote since the last call to this or {@link #takeReceived()}, decoded
     * leniently (any reserved bits, any size) and unmasked.
     */
    public List<Frame> takeFrames() {
        FrameDecoder decoder = new FrameDecoder(peerRole, Integer.MAX_VALUE);
        decoder.allowRsv(Frame.RSV_MASK);
        FrameCollector collector = new FrameCollector();
        decoder.decode(ByteBuffer.wrap(takeReceived()), collector);
        if (!decoder.isAtFrameBoundary()) {
            throw new IllegalStateException("the session wrote a partial frame");
        }
        return new ArrayList<>(collector.frames());
    }

    /**
     * The status code of the first close frame the session wrote among the frames not yet taken,
     * or -1 if there is none; 1005 if it carried no code. Consumes the received bytes.
     */
    public int closeCode() {
        for (Frame f : takeFrames()) {
            if (f.opcode() == Opcode.CLOSE) {
                ByteBuffer p = f.payload();
                return p.remaining() >= 2 ? p.getShort() & 0xFFFF : 1005;
            }
        }
        return -1;
    }

    /** Whether the session closed its side of the pipe (the peer saw the end of input). */
    public boolean sessionClosedTransport() {
        return endOfInput;
    }

    /** Parses a hex string such as {@code "81 05 48 65"} into bytes. */
    public static byte[] hex(String hex) {
        String digits = hex.replaceAll("\\s+", "");
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    private void keepUnread(ByteBuffer in) {
        byte[] rest = new byte[in.remaining()];
        in.get(rest);
        received.writeBytes(rest);
    }

    /** The response the session sent, for a raw client that sent a whole request: parses the received head. */
    public HandshakeResponse takeResponse() {
        ByteBuffer in = ByteBuffer.wrap(takeReceived());
        HttpHeadParser parser = HttpHeadParser.forResponse(64 * 1024, 100);
        if (!parser.parse(in)) {
            throw new IllegalStateException("no complete response head received");
        }
        keepUnread(in);
        return parser.response();
    }
}
