package dev.weft.core.handshake;

import dev.weft.api.WebSocketConfig;
import dev.weft.api.handshake.HandshakeException;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The client's opening handshake (RFC 6455 §4.1) for one connection, sans IO: the transport sends
 * {@link #requestBytes()} first, then feeds what the server sends back, and the driver answers with
 * a {@link Step} — {@link NeedMore} until the response head is complete, then once either
 * {@link Failed} (abandon the connection) or {@link Open} (start a session, then give it the frames
 * that came with the response). Every transport runs this one driver; the clock (the handshake
 * timeout) stays with the transport.
 *
 * <p>Not thread-safe: one driver serves one connection attempt, fed by one thread.
 */
public final class ClientOpening {

    private static final NeedMore NEED_MORE = new NeedMore();

    private final ClientHandshake handshake;
    private final HttpHeadParser parser;
    private boolean over;

    /**
     * @param handshake the request to send and the checks for the response
     * @param limits bounds the response head: {@link WebSocketConfig#maxHandshakeHeadSize()} and
     *     {@link WebSocketConfig#maxHandshakeHeaders()}
     */
    public ClientOpening(ClientHandshake handshake, WebSocketConfig limits) {
        this.handshake = Objects.requireNonNull(handshake, "handshake");
        this.parser = HttpHeadParser.forResponse(limits.maxHandshakeHeadSize(), limits.maxHandshakeHeaders());
    }

    /** What {@link #feed} or {@link #endOfInput} answered. */
    public sealed interface Step permits NeedMore, Failed, Open {
    }

    /** The head is not complete yet: every byte fed so far is held; feed more. */
    public record NeedMore() implements Step {
    }

    /**
     * The handshake failed: close the connection and report {@code cause}, whose status is the
     * server's if it answered other than 101 (a redirect, an authentication challenge), else 0.
     * Extensions agreed before the failure are already closed.
     */
    public record Failed(HandshakeException cause) implements Step {
    }

    /**
     * The server accepted: start a session with {@code agreement}, then give it {@code leftover}.
     * The agreement's extensions belong to the caller from here on.
     *
     * @param agreement what the handshake agreed on
     * @param leftover the bytes fed after the head (the server's first frames, often none): a view of
     *     the buffer last fed, valid until the caller reuses that buffer
     */
    public record Open(Agreement agreement, ByteBuffer leftover) implements Step {
    }

    /** The upgrade request, to send before feeding anything: a new read-only buffer on each call. */
    public ByteBuffer requestBytes() {
        return handshake.requestBytes();
    }

    /**
     * Feeds bytes that arrived from the server. Before the head is complete, takes them all and
     * answers {@link NeedMore}; the step that completes it is final, takes every byte of
     * {@code bytes} too, and hands those after the head back as {@link Open#leftover()}.
     *
     * @throws IllegalStateException if a final step was already answered
     */
    public Step feed(ByteBuffer bytes) {
        checkNotOver();
        try {
            if (!parser.parse(bytes)) {
                return NEED_MORE;
            }
            over = true;
            ByteBuffer leftover = bytes.slice();
            bytes.position(bytes.limit());
            return new Open(handshake.accept(parser.response()), leftover);
        } catch (HandshakeException e) {
            over = true;
            bytes.position(bytes.limit());
            return new Failed(e);
        }
    }

    /**
     * The server closed the connection before its response head was complete.
     *
     * @throws IllegalStateException if a final step was already answered
     */
    public Failed endOfInput() {
        checkNotOver();
        over = true;
        return new Failed(new HandshakeException(0, "the server closed the connection during the opening handshake"));
    }

    private void checkNotOver() {
        if (over) {
            throw new IllegalStateException("the opening handshake is over");
        }
    }
}
