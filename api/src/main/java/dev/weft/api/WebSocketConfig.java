package dev.weft.api;

import dev.weft.api.extension.ExtensionFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The protocol settings of an endpoint, shared by every connection it makes or accepts. Immutable;
 * build one with {@link #builder()}. Every limit is on by default, so a misbehaving peer cannot make
 * an endpoint with the defaults use unbounded memory or hang.
 *
 * <table>
 * <caption>Settings and defaults</caption>
 * <tr><th>setting</th><th>default</th><th>when exceeded</th></tr>
 * <tr><td>{@link #maxFrameSize()}</td><td>16 MiB</td><td>close 1009</td></tr>
 * <tr><td>{@link #maxMessageSize()}</td><td>16 MiB</td><td>close 1009 (inflated size for compressed messages)</td></tr>
 * <tr><td>{@link #maxFragmentsPerMessage()}</td><td>131,072</td><td>close 1009</td></tr>
 * <tr><td>{@link #maxHandshakeHeadSize()}</td><td>16 KiB</td><td>HTTP 431</td></tr>
 * <tr><td>{@link #maxHandshakeHeaders()}</td><td>100</td><td>HTTP 431</td></tr>
 * <tr><td>{@link #handshakeTimeout()}</td><td>10 s</td><td>connection closed</td></tr>
 * <tr><td>{@link #closeTimeout()}</td><td>10 s</td><td>connection aborted, handler sees 1006</td></tr>
 * <tr><td>{@link #idleTimeout()}</td><td>5 min</td><td>connection aborted, handler sees 1006</td></tr>
 * <tr><td>{@link #messageTimeout()}</td><td>60 s</td><td>close 1008</td></tr>
 * <tr><td>{@link #keepAliveInterval()}</td><td>off</td><td>—</td></tr>
 * <tr><td>{@link #autoPong()}</td><td>on</td><td>—</td></tr>
 * <tr><td>{@link #subprotocols()}</td><td>none</td><td>—</td></tr>
 * <tr><td>{@link #extensions()}</td><td>every installed extension</td><td>—</td></tr>
 * </table>
 */
public final class WebSocketConfig {

    private static final int MIB = 1 << 20;

    private final int maxFrameSize;
    private final int maxMessageSize;
    private final int maxFragmentsPerMessage;
    private final int maxHandshakeHeadSize;
    private final int maxHandshakeHeaders;
    private final Duration handshakeTimeout;
    private final Duration closeTimeout;
    private final Duration idleTimeout;
    private final Duration messageTimeout;
    private final Duration keepAliveInterval;
    private final boolean autoPong;
    private final List<String> subprotocols;
    private final List<ExtensionFactory> extensions;

    private WebSocketConfig(Builder b) {
        this.maxFrameSize = b.maxFrameSize;
        this.maxMessageSize = b.maxMessageSize;
        this.maxFragmentsPerMessage = b.maxFragmentsPerMessage;
        this.maxHandshakeHeadSize = b.maxHandshakeHeadSize;
        this.maxHandshakeHeaders = b.maxHandshakeHeaders;
        this.handshakeTimeout = b.handshakeTimeout;
        this.closeTimeout = b.closeTimeout;
        this.idleTimeout = b.idleTimeout;
        this.messageTimeout = b.messageTimeout;
        this.keepAliveInterval = b.keepAliveInterval;
        this.autoPong = b.autoPong;
        this.subprotocols = b.subprotocols;
        this.extensions = b.extensions != null ? b.extensions : ExtensionFactory.installed();
    }

    /** The defaults, with every installed extension enabled. */
    public static WebSocketConfig defaults() {
        return builder().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxFrameSize = maxFrameSize;
        b.maxMessageSize = maxMessageSize;
        b.maxFragmentsPerMessage = maxFragmentsPerMessage;
        b.maxHandshakeHeadSize = maxHandshakeHeadSize;
        b.maxHandshakeHeaders = maxHandshakeHeaders;
        b.handshakeTimeout = handshakeTimeout;
        b.closeTimeout = closeTimeout;
        b.idleTimeout = idleTimeout;
        b.messageTimeout = messageTimeout;
        b.keepAliveInterval = keepAliveInterval;
        b.autoPong = autoPong;
        b.subprotocols = subprotocols;
        b.extensions = extensions;
        return b;
    }

    /** The largest frame payload accepted, in bytes. */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** The largest whole message accepted, in bytes (after decompression). */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** The most frames one message may arrive in, empty ones included. */
    public int maxFragmentsPerMessage() {
        return maxFragmentsPerMessage;
    }

    /** The most bytes an HTTP head of the opening handshake may take, request line included. */
    public int maxHandshakeHeadSize() {
        return maxHandshakeHeadSize;
    }

    /** The most header fields an HTTP head of the opening handshake may have. */
    public int maxHandshakeHeaders() {
        return maxHandshakeHeaders;
    }

    /** How long the opening handshake may take before the transport gives up. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** How long to wait for the peer's close frame (and, for a client, the server's TCP close). */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** How long the peer may stay silent before the connection is aborted; zero means never. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * How long an incoming message that is gathered whole may take from its first frame to its
     * last; zero means no limit. A peer that starts a message and then trickles it (or stops) would
     * otherwise keep the bytes it sent held for as long as the idle timeout allows. Messages taken
     * in parts by a {@link PartialMessageHandler} hold nothing and are not timed. Raise it for large
     * uploads over slow links.
     */
    public Duration messageTimeout() {
        return messageTimeout;
    }

    /** How often to send a ping while the connection is open; zero means never. */
    public Duration keepAliveInterval() {
        return keepAliveInterval;
    }

    /** Whether pings are answered with pongs automatically (RFC 6455 §5.5.2 requires an answer). */
    public boolean autoPong() {
        return autoPong;
    }

    /**
     * Subprotocols: a client offers them in this order; a server agrees on the first one the client
     * offered that is also in this list, taking the client's order of preference.
     */
    public List<String> subprotocols() {
        return subprotocols;
    }

    /** The extensions a client offers and a server accepts, in order of preference. */
    public List<ExtensionFactory> extensions() {
        return extensions;
    }

    /** Builds a {@link WebSocketConfig}. Not thread-safe. */
    public static final class Builder {
        private int maxFrameSize = 16 * MIB;
        private int maxMessageSize = 16 * MIB;
        private int maxFragmentsPerMessage = 128 * 1024;
        private int maxHandshakeHeadSize = 16 * 1024;
        private int maxHandshakeHeaders = 100;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration messageTimeout = Duration.ofSeconds(60);
        private Duration keepAliveInterval = Duration.ZERO;
        private boolean autoPong = true;
        private List<String> subprotocols = List.of();
        private List<ExtensionFactory> extensions;

        private Builder() {
        }

        /** Sets {@link WebSocketConfig#maxFrameSize()}; at least 125 (a control frame must fit). */
        public Builder maxFrameSize(int bytes) {
            this.maxFrameSize = atLeast(bytes, 125, "maxFrameSize");
            return this;
        }

        /** Sets {@link WebSocketConfig#maxMessageSize()}; at least 1. */
        public Builder maxMessageSize(int bytes) {
            this.maxMessageSize = atLeast(bytes, 1, "maxMessageSize");
            return this;
        }

        /** Sets {@link WebSocketConfig#maxFragmentsPerMessage()}; at least 1. */
        public Builder maxFragmentsPerMessage(int frames) {
            this.maxFragmentsPerMessage = atLeast(frames, 1, "maxFragmentsPerMessage");
            return this;
        }

        /** Sets {@link WebSocketConfig#maxHandshakeHeadSize()}; at least 256. */
        public Builder maxHandshakeHeadSize(int bytes) {
            this.maxHandshakeHeadSize = atLeast(bytes, 256, "maxHandshakeHeadSize");
            return this;
        }

        /** Sets {@link WebSocketConfig#maxHandshakeHeaders()}; at least 8. */
        public Builder maxHandshakeHeaders(int count) {
            this.maxHandshakeHeaders = atLeast(count, 8, "maxHandshakeHeaders");
            return this;
        }

        /** Sets {@link WebSocketConfig#handshakeTimeout()}; must be positive. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive(timeout, "handshakeTimeout");
            return this;
        }

        /** Sets {@link WebSocketConfig#closeTimeout()}; must be positive. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive(timeout, "closeTimeout");
            return this;
        }

        /** Sets {@link WebSocketConfig#idleTimeout()}; zero switches it off. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = notNegative(timeout, "idleTimeout");
            return this;
        }

        /** Sets {@link WebSocketConfig#messageTimeout()}; zero switches it off. */
        public Builder messageTimeout(Duration timeout) {
            this.messageTimeout = notNegative(timeout, "messageTimeout");
            return this;
        }

        /** Sets {@link WebSocketConfig#keepAliveInterval()}; zero switches it off. */
        public Builder keepAliveInterval(Duration interval) {
            this.keepAliveInterval = notNegative(interval, "keepAliveInterval");
            return this;
        }

        /** Sets {@link WebSocketConfig#autoPong()}. */
        public Builder autoPong(boolean autoPong) {
            this.autoPong = autoPong;
            return this;
        }

        /** Sets {@link WebSocketConfig#subprotocols()}. */
        public Builder subprotocols(List<String> subprotocols) {
            this.subprotocols = List.copyOf(subprotocols);
            return this;
        }

        /** Sets {@link WebSocketConfig#extensions()}; an empty list switches extensions off. */
        public Builder extensions(List<ExtensionFactory> extensions) {
            this.extensions = List.copyOf(extensions);
            return this;
        }

        /** The configuration. */
        public WebSocketConfig build() {
            return new WebSocketConfig(this);
        }

        private static int atLeast(int value, int min, String name) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
            }
            return value;
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }

        private static Duration notNegative(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative: " + d);
            }
            return d;
        }
    }
}
