package dev.weft.api.handshake;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a server will answer to one upgrade request, as shaped by {@link HandshakeInterceptor}s.
 * It starts accepted, with the subprotocol the server's configuration chose (the client's most
 * preferred one among those configured). Not thread-safe: it lives for one handshake on one thread.
 */
public final class UpgradeDecision {

    private final List<String> offeredSubprotocols;
    private final Headers.Builder headers = Headers.builder();
    private final Map<String, Object> attributes = new HashMap<>();
    private String subprotocol;
    private int rejectStatus;
    private String rejectReason;

    /**
     * @param offeredSubprotocols what the client offered, in its order
     * @param subprotocol the configuration's choice among them, or {@code null}
     */
    public UpgradeDecision(List<String> offeredSubprotocols, String subprotocol) {
        this.offeredSubprotocols = List.copyOf(offeredSubprotocols);
        this.subprotocol = subprotocol;
    }

    /** The subprotocols the client offered, in its order of preference. */
    public List<String> offeredSubprotocols() {
        return offeredSubprotocols;
    }

    /** The subprotocol that will be agreed, if any. */
    public Optional<String> subprotocol() {
        return Optional.ofNullable(subprotocol);
    }

    /**
     * Agrees on {@code subprotocol}, or on none if it is {@code null}.
     *
     * @throws IllegalArgumentException if the client did not offer it (RFC 6455 §4.2.2 allows only
     *     an offered one)
     */
    public UpgradeDecision subprotocol(String subprotocol) {
        if (subprotocol != null && !offeredSubprotocols.contains(subprotocol)) {
            throw new IllegalArgumentException("the client did not offer subprotocol " + subprotocol);
        }
        this.subprotocol = subprotocol;
        return this;
    }

    /** Adds a header to the response, accepted or not ({@code Set-Cookie}, {@code WWW-Authenticate}). */
    public UpgradeDecision header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    /** The headers added so far. */
    public Headers headers() {
        return headers.build();
    }

    /** Attributes copied into the connection's {@code attributes()} when it opens. */
    public Map<String, Object> attributes() {
        return attributes;
    }

    /**
     * Refuses the upgrade: the server answers with this status and closes the connection.
     *
     * @param status an HTTP status from 400 to 599 (401 for failed credentials, 403 for a refused
     *     origin)
     * @param reason why, sent as the plain-text body of the response; the status line carries the
     *     status's standard reason phrase, so no text given here can reach the head
     * @throws IllegalArgumentException if {@code status} is not a 4xx or 5xx status
     */
    public UpgradeDecision reject(int status, String reason) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a rejection needs a 4xx or 5xx status: " + status);
        }
        this.rejectStatus = status;
        this.rejectReason = reason == null ? "" : reason;
        return this;
    }

    /** Whether an interceptor rejected the upgrade. */
    public boolean isRejected() {
        return rejectStatus != 0;
    }

    /** The rejection status, or 0 if not rejected. */
    public int rejectStatus() {
        return rejectStatus;
    }

    /** The rejection reason, or {@code null} if not rejected. */
    public String rejectReason() {
        return rejectReason;
    }
}
