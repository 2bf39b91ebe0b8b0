package dev.weft.core.handshake;

import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.core.extension.ExtensionNegotiator;
import dev.weft.core.log.PeerFaultLog;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Function;

import static java.lang.System.Logger.Level.WARNING;

/**
 * The server's opening handshake (RFC 6455 §4.2) for one connection, sans IO: it is fed the bytes
 * that arrive and answers with a {@link Step} — {@link NeedMore} until the request head is complete,
 * then once either {@link Refuse} (write the bytes, close the connection) or {@link Open} (start a
 * session with the 101 response, then give it the bytes that followed the head). Every transport
 * runs this one driver; what it decides for itself (which endpoint, plain HTTP beside WebSocket,
 * connection caps, shutting down) it says through a {@link Router}, and the clock (the handshake
 * timeout) stays with it.
 *
 * <p>The driver owns everything else: parsing the head and answering its faults (the status of the
 * {@link HandshakeException}, 400 when it has none), the RFC's checks and the interceptors through
 * the endpoint's {@link ServerHandshake}, making the connection's handler, and logging each refusal
 * that is the peer's doing through {@link PeerFaultLog}.
 *
 * <p>Not thread-safe: one driver serves one connection, fed by one thread.
 */
public final class ServerOpening {

    private static final System.Logger LOG = System.getLogger(ServerOpening.class.getName());

    private static final NeedMore NEED_MORE = new NeedMore();

    private final HttpHeadParser parser;
    private final Router router;
    private final Object peer;
    private boolean over;

    /**
     * @param limits bounds the request head: {@link WebSocketConfig#maxHandshakeHeadSize()} and
     *     {@link WebSocketConfig#maxHandshakeHeaders()}
     * @param router decides where the complete request goes
     * @param peer names the peer in the log (its address)
     */
    public ServerOpening(WebSocketConfig limits, Router router, Object peer) {
        this.parser = HttpHeadParser.forRequest(limits.maxHandshakeHeadSize(), limits.maxHandshakeHeaders());
        this.router = Objects.requireNonNull(router, "router");
        this.peer = peer;
    }

    /** The transport's part of the opening handshake: where a well-formed request head goes. */
    @FunctionalInterface
    public interface Router {

        /** Called at most once per connection, on the thread feeding the driver, with the complete head. */
        Route route(HandshakeRequest request);
    }

    /** What a {@link Router} decided: an {@link Endpoint} to upgrade to, or an {@link Answer} instead. */
    public sealed interface Route permits Endpoint, Answer {
    }

    /**
     * Answer the upgrade with this endpoint's handshake, and make the connection's handler with
     * {@code handlers} once it is accepted.
     *
     * @param name names the endpoint in the log (a path pattern)
     * @param handshake checks the request and writes the response
     * @param config the protocol settings of the connection's session
     * @param handlers makes the connection's handler from the accepted request; if it throws, the
     *     client gets 500
     */
    public record Endpoint(String name, ServerHandshake handshake, WebSocketConfig config,
                           Function<HandshakeRequest, ? extends WebSocketHandler> handlers) implements Route {

        public Endpoint {
            Objects.requireNonNull(handshake, "handshake");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(handlers, "handlers");
        }
    }

    /**
     * No upgrade: write {@code responseBytes} and close — a plain HTTP answer, or a refusal the
     * transport decides on (no endpoint there, a cap, shutting down).
     *
     * @param responseBytes a complete response, head and body
     * @param status its status, or 0 if the transport does not say (a plain HTTP answer)
     * @param problem why, for logs; an answer with a status is logged through {@link PeerFaultLog}
     */
    public record Answer(ByteBuffer responseBytes, int status, String problem) implements Route {

        public Answer {
            Objects.requireNonNull(responseBytes, "responseBytes");
            Objects.requireNonNull(problem, "problem");
        }

        /** An {@link ServerHandshake#errorResponse error response} with {@code status}. */
        public static Answer error(int status, String problem) {
            return new Answer(ServerHandshake.errorResponse(status, problem), status, problem);
        }
    }

    /** What {@link #feed} answered. */
    public sealed interface Step permits NeedMore, Refuse, Open {
    }

    /** The head is not complete yet: every byte fed so far is held; feed more. */
    public record NeedMore() implements Step {
    }

    /**
     * No WebSocket: write {@code responseBytes}, then close the connection.
     *
     * @param responseBytes the complete response, head and body
     * @param status its status, for logs; 0 for a router's plain HTTP answer
     * @param problem what was wrong, for logs
     */
    public record Refuse(ByteBuffer responseBytes, int status, String problem) implements Step {
    }

    /**
     * The upgrade is accepted: start a session with {@code agreement} and {@code handler}, have it
     * write {@code responseBytes} (the 101) first, then give it {@code leftover}. The agreement's
     * extensions belong to the caller from here on.
     *
     * @param endpoint where the router sent the request
     * @param agreement what the handshake agreed on
     * @param handler the connection's handler, made by the endpoint
     * @param responseBytes the 101 response
     * @param leftover the bytes fed after the head (the client's first frames, often none): a view of
     *     the buffer last fed, valid until the caller reuses that buffer
     */
    public record Open(Endpoint endpoint, Agreement agreement, WebSocketHandler handler, ByteBuffer responseBytes,
                       ByteBuffer leftover) implements Step {
    }

    /**
     * Feeds bytes that arrived from the client. Before the head is complete, takes them all and
     * answers {@link NeedMore}; the step that completes it is final, takes every byte of
     * {@code bytes} too, and hands those after the head back as {@link Open#leftover()}.
     *
     * @throws IllegalStateException if a final step was already answered
     */
    public Step feed(ByteBuffer bytes) {
        if (over) {
            throw new IllegalStateException("the opening handshake is over");
        }
        try {
            if (!parser.parse(bytes)) {
                return NEED_MORE;
            }
        } catch (HandshakeException e) {
            over = true;
            bytes.position(bytes.limit());
            int status = e.status() == 0 ? 400 : e.status();
            return refuse(ServerHandshake.errorResponse(status, e.getMessage()), status, e.getMessage(), true);
        }
        over = true;
        ByteBuffer leftover = bytes.slice();
        bytes.position(bytes.limit());
        HandshakeRequest request = parser.request();
        Route route = router.route(request);
        if (route instanceof Answer answer) {
            return refuse(answer.responseBytes(), answer.status(), answer.problem(), answer.status() != 0);
        }
        Endpoint endpoint = (Endpoint) route;
        ServerHandshake.Result result = endpoint.handshake().answer(request);
        if (result instanceof ServerHandshake.Rejected rejected) {
            return refuse(rejected.responseBytes(), rejected.response().status(), rejected.problem(),
                    rejected.response().status() < 500);
        }
        ServerHandshake.Accepted accepted = (ServerHandshake.Accepted) result;
        WebSocketHandler handler;
        try {
            handler = endpoint.handlers().apply(request);
        } catch (RuntimeException e) {
            LOG.log(WARNING, "the handler factory of " + endpoint.name() + " failed", e);
            ExtensionNegotiator.closeAll(accepted.agreement().extensions());
            String problem = "the server failed to accept the connection";
            return refuse(ServerHandshake.errorResponse(500, problem), 500, problem, false);
        }
        return new Open(endpoint, accepted.agreement(), handler, accepted.responseBytes(), leftover);
    }

    /**
     * Whether {@code request} offers a WebSocket upgrade at all ({@code Upgrade} names
     * {@code websocket}): a router that serves plain HTTP beside WebSocket tells them apart by it.
     * Other upgrade offers (h2c, say) may be ignored (RFC 9110 §7.8).
     */
    public static boolean asksForWebSocket(HandshakeRequest request) {
        return HttpHeads.containsIgnoreCase(HttpHeads.listElements(request.headers().all("Upgrade")), "websocket");
    }

    /**
     * A refusal, in the peer log when {@code logged}: {@code refused: HTTP 404, no WebSocket endpoint
     * at /x}. A refusal that is the server's fault is logged where it failed, as a warning.
     */
    private Refuse refuse(ByteBuffer responseBytes, int status, String problem, boolean logged) {
        if (logged) {
            PeerFaultLog.refused(peer, "HTTP " + status + ", " + problem);
        }
        return new Refuse(responseBytes, status, problem);
    }
}
