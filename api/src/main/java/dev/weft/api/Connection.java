package dev.weft.api;

import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.HandshakeResponse;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;

/**
 * One open WebSocket connection, as seen by the application: the handshake is over and the close
 * handshake is handled for you.
 *
 * <h2>Threads</h2>
 * Every method may be called from any thread. Calls made on the connection's own event-loop thread
 * (handler callbacks run there by default) act at once; calls from other threads are handed to that
 * thread in call order, so messages sent from one thread leave in the order they were sent.
 *
 * <h2>Completion</h2>
 * Each send returns a future that completes once the whole message has been handed to the network
 * (written to the socket), and completes exceptionally if it can never be: the connection is
 * closing or closed, the argument is invalid, or the transport failed. Buffers passed to a send
 * must not be changed until its future completes.
 *
 * <p>Never wait for a send on the event loop: a handler callback that calls {@code get()} or
 * {@code join()} on a future not yet complete would block the loop that has to complete it. Weft's
 * futures refuse: such a call throws {@link IllegalStateException} at once (and, uncaught in a
 * handler, closes the connection with 1011). Chain the next step with {@code thenRun},
 * {@code thenAccept} or {@code whenComplete}, or wait from another thread (a handler executor's
 * thread is one).
 */
public interface Connection {

    /**
     * Sends a whole text message.
     *
     * @param text the text; a lone surrogate makes the future fail with {@link IllegalArgumentException}
     */
    CompletableFuture<Void> sendText(CharSequence text);

    /** Sends a whole binary message: the bytes from the buffer's position to its limit. */
    CompletableFuture<Void> sendBinary(ByteBuffer data);

    /**
     * Sends a whole text message that is already UTF-8, without decoding or encoding it again: the
     * bytes of a message a {@link Utf8TextHandler} received, for instance. The bytes are checked
     * (a peer must fail a connection on invalid UTF-8, RFC 6455 §8.1), which costs far less than
     * encoding a {@code String}.
     *
     * @param utf8 the bytes from position to limit; invalid UTF-8 makes the future fail with
     *     {@link IllegalArgumentException}
     */
    default CompletableFuture<Void> sendUtf8Text(ByteBuffer utf8) {
        try {
            return sendText(StandardCharsets.UTF_8.newDecoder().decode(utf8.duplicate()));
        } catch (CharacterCodingException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not UTF-8: " + e, e));
        }
    }

    /**
     * Sends a whole text message and returns no future, for callers that do not need to know when
     * it was written: a send then allocates nothing beyond the message's own bytes. What a future
     * would have reported is not reported: a message the connection cannot send any more (it closed
     * while the message was on its way to the connection's thread, or a streamed message is in
     * progress) is dropped, and {@link WebSocketHandler#onClose} tells of the closing.
     *
     * @param text the text
     * @return whether the message was queued, or handed to the connection's thread, while the
     *     connection was open; false if it was dropped because it was not
     * @throws IllegalArgumentException if the text has a lone surrogate
     */
    default boolean trySendText(CharSequence text) {
        return tryWith(sendText(text));
    }

    /**
     * Sends a whole binary message and returns no future; see {@link #trySendText}. The buffer is
     * handed over: its bytes from position to limit are sent, its position moves as they are
     * written, and the caller must not use it again.
     *
     * @return whether the message was queued, or handed to the connection's thread, while the
     *     connection was open
     */
    default boolean trySendBinary(ByteBuffer data) {
        return tryWith(sendBinary(data));
    }

    /**
     * Sends a whole text message that is already UTF-8 (see {@link #sendUtf8Text}) and returns no
     * future (see {@link #trySendText}). The buffer is handed over, as with {@link #trySendBinary}.
     *
     * @return whether the message was queued, or handed to the connection's thread, while the
     *     connection was open
     * @throws IllegalArgumentException if the bytes are not valid UTF-8
     */
    default boolean trySendUtf8Text(ByteBuffer utf8) {
        return tryWith(sendUtf8Text(utf8));
    }

    /** What a {@code trySend} returns for a send made with a future: an invalid argument throws. */
    private static boolean tryWith(CompletableFuture<Void> sent) {
        if (!sent.isCompletedExceptionally()) {
            return true;
        }
        try {
            sent.getNow(null);
        } catch (CompletionException e) {
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw invalid;
            }
        } catch (CancellationException e) {
            // dropped
        }
        return false;
    }

    /**
     * Sends one part of a text message that is streamed in parts, so the whole message never has to
     * be held in memory. The first part starts a message and the part with {@code last == true}
     * ends it; until then no other data message may be sent (control frames may). Each part
     * becomes one frame.
     *
     * @param part a part of the text that ends on a whole code point (not on a high surrogate)
     * @param last whether this part ends the message
     */
    CompletableFuture<Void> sendText(CharSequence part, boolean last);

    /**
     * Sends one part of a binary message that is streamed in parts; see
     * {@link #sendText(CharSequence, boolean)}.
     */
    CompletableFuture<Void> sendBinary(ByteBuffer part, boolean last);

    /**
     * Sends a frame exactly as given (the low level of the API): opcode, FIN and reserved bits are
     * not checked against the message state or the negotiated extensions. Negotiated extensions
     * still see the frame on its way out, and a client masks it. Control frames with more than 125
     * bytes of payload and fragmented control frames are refused, because no peer would accept them.
     */
    CompletableFuture<Void> sendFrame(Frame frame);

    /** Sends a ping with up to 125 bytes of application data. */
    CompletableFuture<Void> ping(ByteBuffer data);

    /** Sends an unsolicited pong (a one-way heartbeat) with up to 125 bytes of application data. */
    CompletableFuture<Void> pong(ByteBuffer data);

    /**
     * Starts the close handshake (RFC 6455 §7.1.2): sends a close frame and, once the peer answers
     * (or the close timeout passes), closes the transport. {@link WebSocketHandler#onClose} is
     * called once, when the connection is {@link ConnectionState#CLOSED}. Calling this again, or
     * after the peer started closing, has no further effect.
     *
     * @param code a code valid on the wire ({@link CloseCodes#isValidOnWire(int)})
     * @param reason a reason whose UTF-8 form takes at most 123 bytes; may be empty
     * @return completes when the close frame has been written
     * @throws IllegalArgumentException if the code or the reason cannot be sent
     */
    CompletableFuture<Void> close(int code, String reason);

    /** Closes with {@link CloseCodes#NORMAL_CLOSURE} and no reason. */
    default CompletableFuture<Void> close() {
        return close(CloseCodes.NORMAL_CLOSURE, "");
    }

    /**
     * Closes the transport at once, without a close handshake; the handler sees
     * {@link CloseCodes#ABNORMAL_CLOSURE}. Queued data is dropped.
     */
    void abort();

    /** The current state. */
    ConnectionState state();

    /** Whether the connection is {@link ConnectionState#OPEN}. */
    default boolean isOpen() {
        return state() == ConnectionState.OPEN;
    }

    /** The subprotocol agreed in the opening handshake, if any. */
    Optional<String> subprotocol();

    /** The extensions agreed in the opening handshake, in the order they apply to outgoing data. */
    List<ExtensionParameters> extensions();

    /** The peer's address, as the transport knows it. */
    SocketAddress remoteAddress();

    /** The request that opened this connection, as the server received it or the client sent it. */
    HandshakeRequest handshakeRequest();

    /**
     * The {@code 101} response that opened this connection, as the server sent it or the client
     * received it.
     */
    HandshakeResponse handshakeResponse();

    /**
     * Application state attached to this connection (a user id, a room name...). The map is
     * thread-safe and lives as long as the connection.
     */
    ConcurrentMap<String, Object> attributes();

    /**
     * Bytes handed to this connection for sending that the transport has not written yet. Use it
     * (or {@link #isWritable()}) to stop producing while a peer reads slowly.
     */
    long queuedBytes();

    /**
     * The memory this connection holds now, in bytes: unfinished incoming frames and messages
     * (inflated output included), bytes queued for sending, and its extensions' compression
     * contexts. It is this connection's share of its server's (or client's) memory budget.
     * Readable from any thread; the value may lag the connection's thread by one read.
     */
    long heldBytes();

    /**
     * Whether the transport's write queue is below its high watermark. When it goes above, this
     * turns false; once it drains below the low watermark it turns true again and
     * {@link WebSocketHandler#onWritable} is called.
     */
    boolean isWritable();

    /**
     * Stops reading from the peer until {@link #resumeReading()}: TCP flow control then slows the
     * peer down. Timers keep running, so a long pause can run into the idle timeout.
     */
    void pauseReading();

    /** Reads from the peer again after {@link #pauseReading()}. */
    void resumeReading();
}
