package dev.weft.core.handshake;

import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeInterceptor;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.Headers;
import dev.weft.api.handshake.HttpResponder;
import dev.weft.api.handshake.HttpResponses;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Where a server sends each opening request: to the endpoint whose path matches best, to the plain
 * HTTP responder for a request that asks for no upgrade, or to a refusal (503 over the connection
 * cap or while shutting down, 404 for a path no endpoint claims). Every transport's server routes
 * with one: it is the {@link ServerOpening.Router} of each connection, given whether that
 * connection is over the connection cap (see {@link ConnectionCaps}). Thread-safe and immutable.
 */
public final class Routes {

    /** How long a client refused at the connection cap is asked to wait (RFC 9110 §10.2.3). */
    private static final int RETRY_AFTER_SECONDS = 5;
    private static final Headers RETRY_AFTER = Headers.builder()
            .add("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)).build();

    private final List<Endpoint> endpoints;
    private final HttpResponder httpResponder;
    private final BooleanSupplier shuttingDown;

    /**
     * @param endpoints the server's endpoints
     * @param httpResponder answers plain HTTP, or null
     * @param shuttingDown whether the server refuses new connections now
     */
    public Routes(List<Endpoint> endpoints, HttpResponder httpResponder, BooleanSupplier shuttingDown) {
        this.endpoints = List.copyOf(endpoints);
        this.httpResponder = httpResponder;
        this.shuttingDown = shuttingDown;
    }

    /**
     * What a server's builder collects of its routes: interceptors for every endpoint, the endpoints
     * with their own, and the plain HTTP responder. Every transport's server builder fills one in and
     * builds its {@link Routes} from it. Not thread-safe, like a builder.
     */
    public static final class Plan {

        private record Spec(String pattern, Function<HandshakeRequest, ? extends WebSocketHandler> handlers,
                            List<HandshakeInterceptor> interceptors) {
        }

        private final List<HandshakeInterceptor> interceptors = new ArrayList<>();
        private final List<Spec> endpoints = new ArrayList<>();
        private HttpResponder httpResponder;

        /** An interceptor run for every endpoint, before the endpoint's own. */
        public void interceptor(HandshakeInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor));
        }

        /** An endpoint: a path pattern, its handler factory, and interceptors of its own. */
        public void endpoint(String pattern, Function<HandshakeRequest, ? extends WebSocketHandler> handlers,
                             HandshakeInterceptor... own) {
            endpoints.add(new Spec(pattern, Objects.requireNonNull(handlers), List.of(own)));
        }

        /** Answers plain HTTP, or null for none. */
        public void httpResponder(HttpResponder responder) {
            this.httpResponder = responder;
        }

        /**
         * The routes, every endpoint's handshake running with {@code config}.
         *
         * @throws IllegalStateException if there is no endpoint
         * @throws IllegalArgumentException if a pattern does not start with {@code /}
         */
        public Routes build(WebSocketConfig config, BooleanSupplier shuttingDown) {
            if (endpoints.isEmpty()) {
                throw new IllegalStateException("a server needs at least one endpoint");
            }
            List<Endpoint> built = new ArrayList<>();
            for (Spec spec : endpoints) {
                List<HandshakeInterceptor> chain = new ArrayList<>(interceptors);
                chain.addAll(spec.interceptors());
                built.add(Endpoint.of(spec.pattern(), new ServerHandshake(config, chain), config, spec.handlers()));
            }
            return new Routes(built, httpResponder, shuttingDown);
        }
    }

    /**
     * The route of {@code request}.
     *
     * @param overConnectionCap whether its connection came in over the connection cap
     *     ({@link ConnectionCaps.Ticket#refused()}): it is answered 503 with {@code Retry-After}
     */
    public ServerOpening.Route route(HandshakeRequest request, boolean overConnectionCap) {
        if (overConnectionCap) {
            return new ServerOpening.Answer(HttpResponses.text(503, RETRY_AFTER,
                    "the server is at its connection limit", request.method().equals("HEAD")),
                    503, "over the connection cap");
        }
        Endpoint endpoint = endpointFor(request.path());
        // A path no endpoint claims, asked for without a WebSocket upgrade, is plain HTTP.
        if (endpoint == null && !ServerOpening.asksForWebSocket(request) && httpResponder != null) {
            return new ServerOpening.Answer(httpResponder.respond(request), 0, "plain HTTP");
        }
        if (endpoint == null) {
            return ServerOpening.Answer.error(404, "no WebSocket endpoint at " + request.path());
        }
        if (shuttingDown.getAsBoolean()) {
            return ServerOpening.Answer.error(503, "the server is shutting down");
        }
        return endpoint.opening();
    }

    /** The endpoint that matches {@code path} best: an exact path, else the longest prefix; or null. */
    Endpoint endpointFor(String path) {
        Endpoint best = null;
        int bestScore = -1;
        for (Endpoint e : endpoints) {
            int score = e.match(path);
            if (score > bestScore) {
                best = e;
                bestScore = score;
            }
        }
        return best;
    }
}
