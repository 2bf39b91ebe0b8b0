package dev.weft.core.session;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.HandshakeResponse;
import dev.weft.core.extension.ExtensionChain;
import dev.weft.core.handshake.Agreement;
import dev.weft.core.message.Utf8Encoder;
import dev.weft.core.message.Utf8Validator;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@link Connection} an application holds for a {@link Session}: checks arguments, makes the
 * futures, encodes text on the calling thread (a sender pays for its own encoding), and hands
 * every action to the loop thread, in call order: at once when called there. Thread-safe.
 */
final class SessionConnection implements Connection, Broadcast.Recipient {

    private final Session session;
    private final Agreement agreement;
    private final ExtensionChain extensions;
    private final Transport transport;
    private final Scheduler scheduler;
    private final SessionState state;
    /** Made on first use (most connections never use it), unless interceptors set attributes. */
    private volatile ConcurrentMap<String, Object> attributes;

    SessionConnection(Session session, Agreement agreement, ExtensionChain extensions, Transport transport,
                      Scheduler scheduler, SessionState state) {
        this.session = session;
        this.agreement = agreement;
        this.extensions = extensions;
        this.transport = transport;
        this.scheduler = scheduler;
        this.state = state;
        this.attributes = agreement.attributes().isEmpty() ? null : new ConcurrentHashMap<>(agreement.attributes());
    }

    /** The engine behind this connection. */
    Session session() {
        return session;
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence text) {
        return sendText(text, true, false);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        return sendData(Opcode.BINARY, data.slice(), true, false);
    }

    @Override
    public CompletableFuture<Void> sendUtf8Text(ByteBuffer utf8) {
        ByteBuffer payload = utf8.slice();
        if (!Utf8Validator.isValid(payload, 0, payload.limit())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not UTF-8"));
        }
        return sendData(Opcode.TEXT, payload, true, false);
    }

    @Override
    public boolean trySendText(CharSequence text) {
        return post(Opcode.TEXT, ByteBuffer.wrap(Utf8Encoder.encode(text)));
    }

    @Override
    public boolean trySendBinary(ByteBuffer data) {
        return post(Opcode.BINARY, data);
    }

    @Override
    public boolean trySendUtf8Text(ByteBuffer utf8) {
        if (!Utf8Validator.isValid(utf8, utf8.position(), utf8.limit())) {
            throw new IllegalArgumentException("not UTF-8");
        }
        return post(Opcode.TEXT, utf8);
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence part, boolean last) {
        if (Utf8Encoder.endsWithHighSurrogate(part)) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("a text part must end on a whole code point, not a high surrogate"));
        }
        return sendText(part, last, true);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer part, boolean last) {
        return sendData(Opcode.BINARY, part.slice(), last, true);
    }

    @Override
    public CompletableFuture<Void> sendFrame(Frame frame) {
        if (frame.opcode().isControl()) {
            String problem = controlProblem(frame.payloadLength());
            if (problem == null && !frame.fin()) {
                problem = "a control frame cannot be fragmented";
            }
            if (problem != null) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(problem));
            }
        }
        CompletableFuture<Void> written = new LoopFuture<>();
        onLoop(() -> {
            if (session.outbound().sendFrame(frame, written) && frame.opcode() == Opcode.CLOSE) {
                session.startClosing();
            }
        });
        return written;
    }

    @Override
    public CompletableFuture<Void> ping(ByteBuffer data) {
        return sendControl(Opcode.PING, data);
    }

    @Override
    public CompletableFuture<Void> pong(ByteBuffer data) {
        return sendControl(Opcode.PONG, data);
    }

    @Override
    public CompletableFuture<Void> close(int code, String reason) {
        // "Endpoints MUST NOT send" codes reserved for local use (RFC 6455 §7.4.1)
        if (!CloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " cannot be sent");
        }
        ByteBuffer body = CloseFrame.body(code, CloseFrame.encodeReason(reason));
        CompletableFuture<Void> written = new LoopFuture<>();
        onLoop(() -> session.close(body, written));
        return written;
    }

    @Override
    public void abort() {
        onLoop(session::abort);
    }

    @Override
    public ConnectionState state() {
        return state.get();
    }

    @Override
    public Optional<String> subprotocol() {
        return Optional.ofNullable(agreement.subprotocol());
    }

    @Override
    public List<ExtensionParameters> extensions() {
        return extensions.parameters();
    }

    @Override
    public SocketAddress remoteAddress() {
        return transport.remoteAddress();
    }

    @Override
    public HandshakeRequest handshakeRequest() {
        return agreement.request();
    }

    @Override
    public HandshakeResponse handshakeResponse() {
        return agreement.response();
    }

    @Override
    public ConcurrentMap<String, Object> attributes() {
        ConcurrentMap<String, Object> map = attributes;
        if (map == null) {
            synchronized (this) {
                map = attributes;
                if (map == null) {
                    attributes = map = new ConcurrentHashMap<>();
                }
            }
        }
        return map;
    }

    @Override
    public long queuedBytes() {
        return transport.queuedBytes();
    }

    @Override
    public boolean isWritable() {
        return transport.isWritable();
    }

    @Override
    public long heldBytes() {
        return session.heldBytes();
    }

    @Override
    public void pauseReading() {
        onLoop(() -> session.reading().pauseByUser(true));
    }

    @Override
    public void resumeReading() {
        onLoop(() -> session.reading().pauseByUser(false));
    }

    // ---------------------------------------------------------------- Broadcast.Recipient

    @Override
    public boolean acceptsEncodedFrames() {
        return session.outbound().acceptsEncodedFrames();
    }

    @Override
    public ByteBuffer encodeShared(Opcode opcode, ByteBuffer payload) {
        return session.outbound().encodeShared(opcode, payload);
    }

    @Override
    public CompletableFuture<Void> sendEncoded(ByteBuffer frame) {
        if (!acceptsEncodedFrames()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "pre-encoded frames need a server session whose extensions keep no history"));
        }
        CompletableFuture<Void> written = new LoopFuture<>();
        onLoop(() -> session.outbound().sendEncoded(frame, written));
        return written;
    }

    @Override
    public String toString() {
        return session.toString();
    }

    // ---------------------------------------------------------------- to the loop

    private CompletableFuture<Void> sendText(CharSequence text, boolean last, boolean streamed) {
        ByteBuffer payload;
        try {
            payload = ByteBuffer.wrap(Utf8Encoder.encode(text));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sendData(Opcode.TEXT, payload, last, streamed);
    }

    private CompletableFuture<Void> sendData(Opcode opcode, ByteBuffer payload, boolean last, boolean streamed) {
        CompletableFuture<Void> written = new LoopFuture<>();
        onLoop(() -> session.outbound().sendData(opcode, payload, last, streamed, written));
        return written;
    }

    /** A whole message sent without a future: on the loop thread nothing is allocated for it. */
    private boolean post(Opcode opcode, ByteBuffer payload) {
        if (scheduler.inEventLoop()) {
            return session.outbound().sendData(opcode, payload, true, false, null);
        }
        if (!state.isOpen()) {
            return false;
        }
        scheduler.execute(() -> session.outbound().sendData(opcode, payload, true, false, null));
        return true;
    }

    private CompletableFuture<Void> sendControl(Opcode opcode, ByteBuffer data) {
        ByteBuffer payload = data == null ? ByteBuffer.allocate(0) : data.slice();
        String problem = controlProblem(payload.remaining());
        if (problem != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(problem));
        }
        CompletableFuture<Void> written = new LoopFuture<>();
        onLoop(() -> session.outbound().sendControl(opcode, payload, written));
        return written;
    }

    private static String controlProblem(int length) {
        // "All control frames MUST have a payload length of 125 bytes or less" (RFC 6455 §5.5)
        return length > 125 ? "a control frame payload takes at most 125 bytes: " + length : null;
    }

    private void onLoop(Runnable action) {
        if (scheduler.inEventLoop()) {
            action.run();
        } else {
            scheduler.execute(action);
        }
    }
}
