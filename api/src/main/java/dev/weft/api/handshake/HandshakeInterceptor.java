package dev.weft.api.handshake;

/**
 * A server-side hook into the opening handshake, called after the request has been checked
 * against RFC 6455 and before the response is written. Interceptors run in the order they were
 * configured; the first one that rejects ends the chain.
 *
 * <p>Typical uses: check the {@code Origin} against an allow-list (reject with 403), check
 * credentials (reject with 401 and a {@code WWW-Authenticate} header), pick a subprotocol, add
 * response headers such as cookies, and attach what was learnt (a user id) to the connection.
 *
 * <p>Interceptors run on the event-loop thread: they must not block.
 */
@FunctionalInterface
public interface HandshakeInterceptor {

    /**
     * Inspects a valid upgrade request and shapes or refuses the answer.
     *
     * @param request the request as received
     * @param decision what the server will answer; change it to pick a subprotocol, add headers,
     *     attach attributes or reject
     */
    void intercept(HandshakeRequest request, UpgradeDecision decision);
}
