package dev.weft.core.session;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.core.extension.ExtensionChain;
import dev.weft.core.frame.FrameEncoder;
import dev.weft.core.frame.MaskKeySource;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The sending half of a session: frames through the extensions and the frame encoder to the
 * transport, with the rules of RFC 6455 §5.4 for messages sent in parts and §5.5.3 for pongs.
 * Loop-confined: the public {@code Connection} hands each send over to the loop first.
 */
final class Outbound {

    /** What the session does around writing. */
    interface Owner {
        /** An extension failed to encode: fails the connection. */
        void encodeFailed(RuntimeException e);

        /** A frame was queued (the session accounts its memory). */
        void wrote();
    }

    private static final System.Logger LOG = System.getLogger(Outbound.class.getName());

    private final Role role;
    private final Transport transport;
    private final ExtensionChain extensions;
    private final FrameEncoder encoder;
    private final SessionState state;
    private final Traffic metrics;
    private final Owner owner;
    /** The opcode of an outgoing message being sent in parts, or null. */
    private Opcode streaming;
    /** At most one automatic pong is queued at a time; the latest ping waits here meanwhile. */
    private boolean pongInFlight;
    private ByteBuffer pendingPong;

    Outbound(Role role, MaskKeySource maskKeys, Transport transport, ExtensionChain extensions, SessionState state,
             Traffic metrics, Owner owner) {
        this.role = role;
        this.transport = transport;
        this.extensions = extensions;
        this.encoder = role == Role.SERVER ? FrameEncoder.SERVER : new FrameEncoder(role, maskKeys);
        this.state = state;
        this.metrics = metrics;
        this.owner = owner;
    }

    /**
     * A whole data message, or a part of one when {@code streamed}.
     *
     * @param written completed once written; null when the caller asked for no future
     * @return whether it was queued
     */
    boolean sendData(Opcode opcode, ByteBuffer payload, boolean last, boolean streamed, CompletableFuture<Void> written) {
        if (refuseUnlessOpen(written)) {
            return false;
        }
        Opcode wire = opcode;
        if (streaming != null) {
            if (!streamed || streaming != opcode) {
                refuse(written, "a streamed " + streaming + " message is in progress: finish it with last = true first");
                return false;
            }
            wire = Opcode.CONTINUATION;
        }
        streaming = streamed && !last ? opcode : null;
        write(last, 0, wire, payload, written);
        return true;
    }

    /** A ping or a pong the application asked for. */
    void sendControl(Opcode opcode, ByteBuffer payload, CompletableFuture<Void> written) {
        if (!refuseUnlessOpen(written)) {
            write(true, 0, opcode, payload, written);
        }
    }

    /**
     * A frame as the application built it, checked for control-frame rules already.
     *
     * @return whether it was written
     */
    boolean sendFrame(Frame frame, CompletableFuture<Void> written) {
        if (refuseUnlessOpen(written)) {
            return false;
        }
        write(frame.fin(), frame.rsv(), frame.opcode(), frame.payload(), written);
        return true;
    }

    /** This end's close frame: the last frame it sends. */
    void sendClose(ByteBuffer body, CompletableFuture<Void> written) {
        state.sendingClose();
        write(true, 0, Opcode.CLOSE, body, written);
    }

    /** A keep-alive ping. */
    void sendPing() {
        write(true, 0, Opcode.PING, ByteBuffer.allocate(0), null);
    }

    /** Answers a ping (RFC 6455 §5.5.3), or keeps it to answer once the pong before it is written. */
    void answerPing(ByteBuffer payload) {
        if (pongInFlight) {
            // "If an endpoint receives a Ping frame and has not yet sent Pong frame(s) in response
            // to previous Ping frame(s), the endpoint MAY elect to send a Pong frame for only the
            // most recently processed Ping frame." (RFC 6455 §5.5.3) This keeps a ping flood from
            // growing the write queue.
            pendingPong = copy(payload);
            return;
        }
        pongInFlight = true;
        CompletableFuture<Void> written = new CompletableFuture<>();
        write(true, 0, Opcode.PONG, copy(payload), written);
        written.whenComplete((ok, error) -> pongWritten());
    }

    private void pongWritten() {
        pongInFlight = false;
        ByteBuffer next = pendingPong;
        pendingPong = null;
        if (next != null && !state.closeSent() && !state.isClosed()) {
            answerPing(next);
        }
    }

    /** Whether frames made by {@link #encodeShared} may be sent here (see {@link Broadcast.Recipient}). */
    boolean acceptsEncodedFrames() {
        return role == Role.SERVER && extensions.encodesWithoutHistory();
    }

    /**
     * Encodes a whole data message into one frame, as this session would send it, without touching
     * its state: extensions encode it with new encoders. Any thread.
     */
    ByteBuffer encodeShared(Opcode opcode, ByteBuffer payload) {
        if (!acceptsEncodedFrames()) {
            throw new IllegalStateException("only a server whose extensions keep no history can share frames");
        }
        Frame frame = new Frame(true, 0, opcode, payload.duplicate());
        if (!extensions.isEmpty()) {
            try (ExtensionChain.Encoders encoders = extensions.newEncoders()) {
                frame = encoders.encode(frame);
            }
        }
        ByteBuffer body = frame.payload();
        ByteBuffer head = encoder.encode(FrameEncoder.firstByte(frame.fin(), frame.rsv(), frame.opcode().code()), body);
        return ByteBuffer.allocate(head.remaining() + body.remaining())
                .put(head).put(body.duplicate()).flip().asReadOnlyBuffer();
    }

    /** Sends a frame made by {@link #encodeShared}, here or on a session with equal extensions. */
    void sendEncoded(ByteBuffer frame, CompletableFuture<Void> written) {
        if (refuseUnlessOpen(written)) {
            return;
        }
        if (streaming != null) {
            refuse(written, "a streamed message is in progress");
            return;
        }
        metrics.sent(frame.remaining());
        transport.write(Transport.Kind.FINAL_DATA, frame, null, written);
        metrics.messageSent();
    }

    private boolean refuseUnlessOpen(CompletableFuture<Void> written) {
        if (state.isOpen()) {
            return false;
        }
        refuse(written, "cannot send: the connection is " + state.get());
        return true;
    }

    /** Fails a send: through its future, or, for a send made without one, in the debug log. */
    private void refuse(CompletableFuture<Void> written, String why) {
        if (written != null) {
            written.completeExceptionally(new IllegalStateException(why));
        } else {
            LOG.log(DEBUG, () -> "dropped a message sent without a future on " + transport.remoteAddress() + ": " + why);
        }
    }

    private void write(boolean fin, int rsv, Opcode opcode, ByteBuffer payload, CompletableFuture<Void> written) {
        if (!extensions.isEmpty()) {
            Frame frame;
            try {
                frame = extensions.encode(new Frame(fin, rsv, opcode, payload));
            } catch (RuntimeException e) {
                if (written != null) {
                    written.completeExceptionally(e);
                }
                LOG.log(WARNING, "an extension failed to encode on " + transport.remoteAddress() + "; closing with 1011", e);
                owner.encodeFailed(e);
                return;
            }
            fin = frame.fin();
            rsv = frame.rsv();
            opcode = frame.opcode();
            payload = frame.payload();
        }
        int b0 = FrameEncoder.firstByte(fin, rsv, opcode.code());
        Transport.Kind kind = kind(fin, opcode);
        if (encoder.masks()) {
            ByteBuffer frame = encoder.encode(b0, payload);
            metrics.sent(frame.remaining());
            transport.write(kind, frame, null, written);
        } else {
            metrics.sent(FrameEncoder.headerLength(payload.remaining()) + payload.remaining());
            transport.writeFrame(kind, b0, payload, written);
        }
        if (kind == Transport.Kind.FINAL_DATA) {
            metrics.messageSent();
        }
        owner.wrote();
    }

    private static Transport.Kind kind(boolean fin, Opcode opcode) {
        if (opcode == Opcode.CLOSE) {
            return Transport.Kind.CLOSE;
        }
        if (opcode.isControl()) {
            return Transport.Kind.CONTROL;
        }
        return fin ? Transport.Kind.FINAL_DATA : Transport.Kind.DATA;
    }

    static ByteBuffer copy(ByteBuffer src) {
        byte[] bytes = new byte[src.remaining()];
        src.get(src.position(), bytes);
        return ByteBuffer.wrap(bytes);
    }
}
