package dev.weft.ext.zstd;

import dev.weft.api.CloseCodes;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;

import java.util.List;
import java.util.Optional;

import static dev.weft.ext.zstd.ZstdParameters.ABSENT;
import static dev.weft.ext.zstd.ZstdParameters.CLIENT_MAX_WINDOW_LOG;
import static dev.weft.ext.zstd.ZstdParameters.CLIENT_NO_CONTEXT_TAKEOVER;
import static dev.weft.ext.zstd.ZstdParameters.DEFAULT_WINDOW_LOG;
import static dev.weft.ext.zstd.ZstdParameters.SERVER_MAX_WINDOW_LOG;
import static dev.weft.ext.zstd.ZstdParameters.SERVER_NO_CONTEXT_TAKEOVER;

/**
 * The permessage-zstd extension: negotiation for both roles, and the {@link Extension} that
 * compresses each data message with Zstandard (zstd-jni). <strong>Experimental and not a registered
 * WebSocket extension</strong>: only a Weft peer or a client written to the
 * {@linkplain dev.weft.ext.zstd package documentation} speaks it. Immutable and thread-safe: one
 * instance serves every connection.
 *
 * <h2>Settings</h2>
 * The public constructor (used by {@code ServiceLoader}) takes the defaults; {@link #builder()}
 * tunes them:
 * <ul>
 * <li>{@link Builder#compressionLevel(int) compressionLevel}: zstd's level, from
 *     {@value #MIN_COMPRESSION_LEVEL} (fastest) to {@value #MAX_COMPRESSION_LEVEL} (smallest), 0
 *     meaning zstd's default; default {@value #DEFAULT_COMPRESSION_LEVEL}.</li>
 * <li>{@link Builder#threshold(int) threshold}: a message sent in one frame and shorter than this
 *     many bytes goes uncompressed; default {@value #DEFAULT_THRESHOLD}.</li>
 * <li>{@link Builder#clientNoContextTakeover(boolean) clientNoContextTakeover}: the client
 *     compresses each message on its own. A client offers {@code client_no_context_takeover} and
 *     keeps to it whatever the server answers; a server puts it in every response. Default off.</li>
 * <li>{@link Builder#serverNoContextTakeover(boolean) serverNoContextTakeover}: the server
 *     compresses each message on its own. A client offers {@code server_no_context_takeover}; a
 *     server puts it in every response. Default off.</li>
 * <li>{@link Builder#maxWindowLog(int) maxWindowLog}: the largest window, as a power of two, this
 *     end accepts from its peer and compresses with; default {@value #DEFAULT_MAX_WINDOW_LOG}
 *     (128 KiB). A client asks for it with {@code server_max_window_log}, a server with
 *     {@code client_max_window_log}, when it is not the default.</li>
 * </ul>
 *
 * <h2>Failures</h2>
 * A server declines an offer it cannot take (the engine then tries the client's next offer). A
 * client refuses a response it cannot take with a {@link WebSocketException} carrying 1002
 * ({@link CloseCodes#PROTOCOL_ERROR}), and the handshake fails. When zstd-jni's native library
 * does not load on the platform, nothing is offered and every offer is declined.
 */
public final class PerMessageZstd implements ExtensionFactory {

    /** The extension name. */
    public static final String NAME = "permessage-zstd";
    /** The default compression level, zstd's own default. */
    public static final int DEFAULT_COMPRESSION_LEVEL = 3;
    /** The fastest level zstd has ({@code ZSTD_minCLevel()}). */
    public static final int MIN_COMPRESSION_LEVEL = -(1 << 17);
    /** The level that compresses most ({@code ZSTD_maxCLevel()}). */
    public static final int MAX_COMPRESSION_LEVEL = 22;
    /** The default threshold, in bytes, below which a message goes uncompressed. */
    public static final int DEFAULT_THRESHOLD = 64;
    /** The default window limit, as a power of two: 128 KiB; also what applies when the agreement names none. */
    public static final int DEFAULT_MAX_WINDOW_LOG = DEFAULT_WINDOW_LOG;

    private final int compressionLevel;
    private final int threshold;
    private final boolean clientNoContextTakeover;
    private final boolean serverNoContextTakeover;
    private final int maxWindowLog;

    /** permessage-zstd with the default settings. */
    public PerMessageZstd() {
        this(builder());
    }

    private PerMessageZstd(Builder b) {
        this.compressionLevel = b.compressionLevel;
        this.threshold = b.threshold;
        this.clientNoContextTakeover = b.clientNoContextTakeover;
        this.serverNoContextTakeover = b.serverNoContextTakeover;
        this.maxWindowLog = b.maxWindowLog;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * One offer: {@code permessage-zstd}, with the no-context-takeover parameters configured and
     * {@code server_max_window_log} if the window limit is not the default; none if zstd-jni's
     * native library does not load.
     */
    @Override
    public List<ExtensionParameters> offers(ExtensionContext context) {
        if (!NativeContexts.available()) {
            return List.of();
        }
        ExtensionParameters offer = ExtensionParameters.of(NAME);
        if (serverNoContextTakeover) {
            offer = offer.with(SERVER_NO_CONTEXT_TAKEOVER);
        }
        if (clientNoContextTakeover) {
            offer = offer.with(CLIENT_NO_CONTEXT_TAKEOVER);
        }
        if (maxWindowLog != DEFAULT_WINDOW_LOG) {
            offer = offer.with(SERVER_MAX_WINDOW_LOG, Integer.toString(maxWindowLog));
        }
        return List.of(offer);
    }

    @Override
    public Optional<Extension> accept(ExtensionParameters offer, ExtensionContext context) {
        if (!NativeContexts.available()) {
            return Optional.empty();
        }
        ZstdParameters asked;
        try {
            asked = ZstdParameters.parse(offer);
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        // client_max_window_log is the server's to set: it belongs in a response only.
        if (asked.clientMaxWindowLog() != ABSENT) {
            return Optional.empty();
        }
        ExtensionParameters response = ExtensionParameters.of(NAME);
        boolean serverResets = serverNoContextTakeover || asked.serverNoContextTakeover();
        if (serverResets) {
            response = response.with(SERVER_NO_CONTEXT_TAKEOVER);
        }
        // The client's hint is echoed, so the agreement says what the client already promised.
        boolean clientResets = clientNoContextTakeover || asked.clientNoContextTakeover();
        if (clientResets) {
            response = response.with(CLIENT_NO_CONTEXT_TAKEOVER);
        }
        // The client's limit on this server's window is always honoured (zstd can use any window)
        // and confirmed with the value this server keeps to.
        int serverWindowLimit = DEFAULT_WINDOW_LOG;
        if (asked.serverMaxWindowLog() != ABSENT) {
            serverWindowLimit = Math.min(asked.serverMaxWindowLog(), maxWindowLog);
            response = response.with(SERVER_MAX_WINDOW_LOG, Integer.toString(serverWindowLimit));
        }
        if (maxWindowLog != DEFAULT_WINDOW_LOG) {
            response = response.with(CLIENT_MAX_WINDOW_LOG, Integer.toString(maxWindowLog));
        }
        return Optional.of(extension(response, serverResets, Math.min(maxWindowLog, serverWindowLimit),
                clientResets, maxWindowLog, context));
    }

    /**
     * @throws WebSocketException with 1002 if the response is malformed or does not keep to this
     *     client's offer
     */
    @Override
    public Extension accepted(ExtensionParameters response, ExtensionContext context) {
        ZstdParameters agreed;
        try {
            agreed = ZstdParameters.parse(response);
        } catch (IllegalArgumentException malformed) {
            throw refused(malformed.getMessage());
        }
        if (serverNoContextTakeover && !agreed.serverNoContextTakeover()) {
            throw refused("server_no_context_takeover was offered but the server did not agree to it");
        }
        boolean offeredServerWindow = maxWindowLog != DEFAULT_WINDOW_LOG;
        int serverWindowLimit = DEFAULT_WINDOW_LOG;
        if (agreed.serverMaxWindowLog() != ABSENT) {
            if (!offeredServerWindow) {
                throw refused("the server sent server_max_window_log, which was not offered");
            }
            if (agreed.serverMaxWindowLog() > maxWindowLog) {
                throw refused("server_max_window_log=" + agreed.serverMaxWindowLog() + " is larger than the "
                        + maxWindowLog + " offered");
            }
            serverWindowLimit = agreed.serverMaxWindowLog();
        } else if (offeredServerWindow) {
            throw refused("server_max_window_log was offered but the server did not agree to it");
        }
        int clientWindowLimit = agreed.clientMaxWindowLog() != ABSENT ? agreed.clientMaxWindowLog() : DEFAULT_WINDOW_LOG;
        // The client keeps to client_no_context_takeover when it offered it, and when the server asks.
        boolean clientResets = clientNoContextTakeover || agreed.clientNoContextTakeover();
        return extension(response, clientResets, Math.min(maxWindowLog, clientWindowLimit),
                agreed.serverNoContextTakeover(), serverWindowLimit, context);
    }

    private Extension extension(ExtensionParameters agreed, boolean ownResets, int ownWindowLog,
                                boolean peerResets, int peerWindowLimit, ExtensionContext context) {
        return new ZstdExtension(agreed, new MessageCompressor(compressionLevel, ownWindowLog, threshold, ownResets),
                new MessageDecompressor(peerResets, peerWindowLimit, context.maxMessageSize()));
    }

    private static WebSocketException refused(String problem) {
        return new WebSocketException(CloseCodes.PROTOCOL_ERROR, "permessage-zstd response refused: " + problem);
    }

    @Override
    public String toString() {
        return "PerMessageZstd[level=" + compressionLevel + ", threshold=" + threshold
                + ", clientNoContextTakeover=" + clientNoContextTakeover
                + ", serverNoContextTakeover=" + serverNoContextTakeover + ", maxWindowLog=" + maxWindowLog + "]";
    }

    /** Settings for a {@link PerMessageZstd}; see its class comment for what each means. Not thread-safe. */
    public static final class Builder {
        private int compressionLevel = DEFAULT_COMPRESSION_LEVEL;
        private int threshold = DEFAULT_THRESHOLD;
        private boolean clientNoContextTakeover;
        private boolean serverNoContextTakeover;
        private int maxWindowLog = DEFAULT_MAX_WINDOW_LOG;

        private Builder() {
        }

        /**
         * The zstd compression level (default {@value PerMessageZstd#DEFAULT_COMPRESSION_LEVEL}).
         *
         * @throws IllegalArgumentException unless {@value PerMessageZstd#MIN_COMPRESSION_LEVEL} to
         *     {@value PerMessageZstd#MAX_COMPRESSION_LEVEL}
         */
        public Builder compressionLevel(int level) {
            if (level < MIN_COMPRESSION_LEVEL || level > MAX_COMPRESSION_LEVEL) {
                throw new IllegalArgumentException("compression level must be " + MIN_COMPRESSION_LEVEL + " to "
                        + MAX_COMPRESSION_LEVEL + ": " + level);
            }
            this.compressionLevel = level;
            return this;
        }

        /**
         * Messages sent in one frame and shorter than this many bytes go uncompressed (default
         * {@value PerMessageZstd#DEFAULT_THRESHOLD}; 0 compresses every message).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder threshold(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("threshold must not be negative: " + bytes);
            }
            this.threshold = bytes;
            return this;
        }

        /** Whether the client compresses each message without the ones before (default false). */
        public Builder clientNoContextTakeover(boolean enabled) {
            this.clientNoContextTakeover = enabled;
            return this;
        }

        /** Whether the server compresses each message without the ones before (default false). */
        public Builder serverNoContextTakeover(boolean enabled) {
            this.serverNoContextTakeover = enabled;
            return this;
        }

        /**
         * The largest window this end accepts from its peer and compresses with, as a power of two
         * (default {@value PerMessageZstd#DEFAULT_MAX_WINDOW_LOG}, 128 KiB). A larger window can
         * find repeats further back, at the cost of that much memory per connection at each end.
         *
         * @throws IllegalArgumentException unless 10 (1 KiB) to 27 (128 MiB)
         */
        public Builder maxWindowLog(int log) {
            if (log < ZstdParameters.MIN_WINDOW_LOG || log > ZstdParameters.MAX_WINDOW_LOG) {
                throw new IllegalArgumentException("window log must be " + ZstdParameters.MIN_WINDOW_LOG + " to "
                        + ZstdParameters.MAX_WINDOW_LOG + ": " + log);
            }
            this.maxWindowLog = log;
            return this;
        }

        /** The factory with these settings. */
        public PerMessageZstd build() {
            return new PerMessageZstd(this);
        }
    }
}
