package dev.weft.transport.blocking;

import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.HandshakeInterceptor;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.HttpResponses;
import dev.weft.core.handshake.ServerHandshake;
import dev.weft.core.handshake.ServerOpening;
import dev.weft.transport.blocking.socket.Inbox;
import dev.weft.transport.blocking.socket.SocketOpening;
import dev.weft.transport.blocking.socket.SocketSession;
import dev.weft.transport.blocking.socket.Wire;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The server side of the opening handshake on sockets accepted elsewhere: by a
 * {@link java.net.ServerSocket} of the application's, or by an HTTP server that has read a
 * request's head and hands the connection over. Each {@code accept} runs the handshake on the
 * calling thread (within the handshake timeout) and returns the open end; a refused request is
 * answered (400, 403, 426...) and its socket closed. Immutable and thread-safe: one acceptor serves
 * any number of sockets, which share its memory budget.
 *
 * <pre>{@code
 * SocketAcceptor acceptor = SocketAcceptor.builder()
 *         .config(WebSocketConfig.builder().subprotocols(List.of("chat")).build())
 *         .interceptor(Interceptors.allowOrigins("https://example.com"))
 *         .build();
 * BlockingWebSocket ws = acceptor.accept(serverSocket.accept());
 * }</pre>
 */
public final class SocketAcceptor {

    private static final SocketAcceptor DEFAULTS = builder().build();

    private final EndSettings settings;
    private final ServerHandshake handshake;

    private SocketAcceptor(Builder b) {
        this.settings = b.settings(b.receiving);
        this.handshake = new ServerHandshake(b.config, List.copyOf(b.interceptors));
    }

    /** The default settings: {@link WebSocketConfig#defaults()}, no interceptor, whole messages. */
    public static SocketAcceptor defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the upgrade request from {@code socket}, answers it, and returns the open end.
     *
     * @throws dev.weft.api.handshake.HandshakeException if the request was refused: its status and
     *     why (the response is written and the socket closed)
     * @throws IOException if the socket failed, ended, or the head did not arrive within the
     *     handshake timeout (the socket is closed)
     */
    public BlockingWebSocket accept(Socket socket) throws IOException {
        return accept(socket, ByteBuffer.allocate(0));
    }

    /**
     * Answers an upgrade request of which an HTTP server has read some bytes already (the head,
     * perhaps more), reading the rest from {@code socket}.
     *
     * @param alreadyRead what was read from the socket so far, from its first byte
     * @see #accept(Socket)
     */
    public BlockingWebSocket accept(Socket socket, ByteBuffer alreadyRead) throws IOException {
        return open(Wire.of(socket), alreadyRead.duplicate());
    }

    /**
     * Answers an upgrade request whose head an HTTP server has read and parsed already.
     *
     * @param head the request's head, as the server parsed it
     * @param readPastHead bytes the server read after the head (the client's first frames), often none
     * @see #accept(Socket)
     */
    public BlockingWebSocket accept(Socket socket, HandshakeRequest head, ByteBuffer readPastHead) throws IOException {
        ByteBuffer headBytes = HttpResponses.encode(head.method() + " " + head.target() + " " + head.version(),
                head.headers(), new byte[0]);
        ByteBuffer both = ByteBuffer.allocate(headBytes.remaining() + readPastHead.remaining())
                .put(headBytes).put(readPastHead.duplicate()).flip();
        return open(Wire.of(socket), both);
    }

    private BlockingWebSocket open(Wire wire, ByteBuffer alreadyRead) throws IOException {
        Inbox inbox = settings.newInbox();
        ServerOpening.Endpoint endpoint = new ServerOpening.Endpoint("an adopted socket", handshake, settings.config(),
                request -> inbox);
        ServerOpening opening = new ServerOpening(settings.config(), request -> endpoint, wire.remoteAddress());
        ServerOpening.Open open;
        try {
            open = SocketOpening.serve(wire, opening, alreadyRead, settings.config().handshakeTimeout());
        } catch (HandshakeException refused) {
            settings.metrics().handshakeRefused(refused.status());
            throw refused;
        }
        SocketSession session = SocketSession.open(Role.SERVER, settings.config(), open.agreement(), inbox, wire,
                settings.sessionOptions(), settings.writeTimeout(), open.responseBytes(), open.leftover());
        return new BlockingWebSocket(session, inbox, settings.receiving());
    }

    /** Settings for a {@link SocketAcceptor}; each has a documented default. */
    public static final class Builder extends EndBuilder<Builder> {
        private final List<HandshakeInterceptor> interceptors = new ArrayList<>();
        private Receiving receiving = Receiving.MESSAGES;

        private Builder() {
        }

        /** Adds an interceptor, run in the order added, as on the NIO server. */
        public Builder interceptor(HandshakeInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor));
            return this;
        }

        /** How the ends are read; default {@link Receiving#MESSAGES}. */
        public Builder receiving(Receiving receiving) {
            this.receiving = Objects.requireNonNull(receiving);
            return this;
        }

        public SocketAcceptor build() {
            return new SocketAcceptor(this);
        }
    }
}
