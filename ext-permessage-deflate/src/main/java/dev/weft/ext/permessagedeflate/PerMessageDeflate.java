package dev.weft.ext.permessagedeflate;

import dev.weft.api.CloseCodes;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.ext.zlib.Zlib;
import dev.weft.ext.zlib.ZlibPool;

import java.util.List;
import java.util.Optional;

import static dev.weft.ext.permessagedeflate.DeflateParameters.ABSENT;
import static dev.weft.ext.permessagedeflate.DeflateParameters.CLIENT_MAX_WINDOW_BITS;
import static dev.weft.ext.permessagedeflate.DeflateParameters.CLIENT_NO_CONTEXT_TAKEOVER;
import static dev.weft.ext.permessagedeflate.DeflateParameters.MAX_WINDOW_BITS;
import static dev.weft.ext.permessagedeflate.DeflateParameters.NO_VALUE;
import static dev.weft.ext.permessagedeflate.DeflateParameters.SERVER_MAX_WINDOW_BITS;
import static dev.weft.ext.permessagedeflate.DeflateParameters.SERVER_NO_CONTEXT_TAKEOVER;

/**
 * The permessage-deflate extension (RFC 7692): negotiation for both roles, and the
 * {@link Extension} that compresses each data message with DEFLATE on the JDK's zlib. Immutable
 * and thread-safe: one instance serves every connection.
 *
 * <h2>Settings</h2>
 * The public constructor (used by {@code ServiceLoader}) takes the defaults; {@link #builder()}
 * tunes them:
 * <ul>
 * <li>{@link Builder#compressionLevel(int) compressionLevel}: zlib's level, 0 (stored) to 9 (best);
 *     default {@value #DEFAULT_COMPRESSION_LEVEL}, zlib's own default balance of speed and size.</li>
 * <li>{@link Builder#threshold(int) threshold}: a message sent in one frame and shorter than this
 *     many bytes goes uncompressed; default {@value #DEFAULT_THRESHOLD}, below which DEFLATE's
 *     block overhead eats most of what it saves.</li>
 * <li>{@link Builder#clientNoContextTakeover(boolean) clientNoContextTakeover}: the client
 *     compresses each message on its own. A client offers {@code client_no_context_takeover} and
 *     keeps to it whatever the server answers; a server puts it in every response. Default off.</li>
 * <li>{@link Builder#serverNoContextTakeover(boolean) serverNoContextTakeover}: the server
 *     compresses each message on its own. A client offers {@code server_no_context_takeover}; a
 *     server puts it in every response. Default off.</li>
 * <li>{@link Builder#poolSize(int) poolSize}: how many idle zlib compressors, and as many
 *     decompressors, this factory keeps for the directions that agreed no context takeover; default
 *     twice the available processors.</li>
 * <li>{@link Builder#clientMaxWindowBits(int) clientMaxWindowBits}: the largest LZ77 window, 9 to
 *     15 bits, the client compresses with, where native zlib is there (see below); default 15,
 *     which asks nothing.</li>
 * </ul>
 *
 * <h2>Window sizes</h2>
 * The JDK's {@code Deflater} always compresses with a 32 KiB window ({@code window_bits} 15), and
 * its {@code Inflater} takes any window. On JDK 22 and later, where libz can be called through the
 * Foreign Function &amp; Memory API ({@code weft-ext-zlib}'s multi-release classes), a server
 * accepts an offer's {@code server_max_window_bits} of 9 to 14: it answers with the same value and
 * compresses on native zlib with that window and a memLevel that keeps the compressor within
 * 64 KiB (about 262 KiB at 15 bits; 14 bits takes about 134 KiB). An offer of 8 is declined, as
 * everywhere else: zlib cannot compress raw DEFLATE with a 256-byte window ("a request for a
 * 256-byte window is rejected as invalid", zlib.h), and the response may not name a larger one.
 * Without native zlib (JDK 17 to 21, no libz, or native access denied) a server declines every
 * offer whose {@code server_max_window_bits} is below 15.
 *
 * <p>The client's window ({@code client_max_window_bits}, RFC 7692 §7.1.2.2) bounds the server's
 * decompressor: the JDK's {@code Inflater} holds 32 KiB for any window, native zlib
 * 2<sup>n</sup> bytes (plus about 7 KiB each), so a server that compresses with 10 bits and
 * inflates with 10 holds 50 KiB per connection instead of 81. A server answers
 * {@code client_max_window_bits} only to an offer that has it, only where native zlib is there and
 * the client keeps its context (without context takeover the decompressor is borrowed per message
 * and costs nothing while idle), and only below 15: with the smaller of the offer's value (15 if it has none) and
 * {@link Builder#clientMaxWindowBits(int) clientMaxWindowBits}; an 8 is left unanswered, as zlib
 * inflates from 9 bits. It then inflates that client's messages on native zlib with that window,
 * and data that refers back further fails the connection with 1007, as any data that does not
 * inflate. So by default a server holds a client to the window the client itself offered, which
 * costs the client nothing, and asks a smaller one of a client that offered the parameter without
 * a value (as browsers do) only when configured to: a smaller window compresses the client's
 * messages less well, a trade for the server's operator to make. A client configured with a
 * {@code clientMaxWindowBits} below 15, where native zlib is there, offers
 * {@code client_max_window_bits} with that value and compresses with it, or with the smaller window
 * the server answers; a response of 8 is refused (zlib cannot compress raw DEFLATE with 256 bytes).
 * Otherwise, as on JDK 17, a client does not offer it and refuses a response that names it.
 *
 * <h2>Failures</h2>
 * A server declines an offer it cannot take (the engine then tries the client's next offer). A
 * client refuses a response it cannot take with a {@link WebSocketException} carrying 1002
 * ({@link CloseCodes#PROTOCOL_ERROR}): the server has broken RFC 7692's negotiation rules, and the
 * handshake fails before any frame is sent. On an agreed connection: RSV1 on a control or
 * continuation frame fails with 1002, data that does not inflate with 1007, a message that inflates
 * past {@link ExtensionContext#maxMessageSize()} with 1009, checked while inflating. A message whose
 * DEFLATE data ends in a block with BFINAL set (RFC 7692 §7.2.3.4), with or without the extra 0x00
 * of the RFC's example, is taken like any other.
 *
 * <h2>Resources</h2>
 * With context takeover, each end makes its zlib compressor on the first message it compresses and
 * its decompressor on the first compressed message it receives, and ends both when the connection
 * ends. A direction without context takeover borrows its context from this factory's bounded pool
 * at a compressed message's first frame and gives it back, reset, after its last, so an idle
 * connection holds none; a broadcast compressed once for many connections borrows the same way. An
 * empty pool makes a new context and a full one ends what comes back. A connection that ends
 * mid-message gives back what it holds. It reports
 * them through {@code Extension.heldBytes()} at the size zlib documents: about 262 KiB for a
 * compressor and 39 KiB for a decompressor with 15-bit windows, less with smaller ones. A compressed frame's output is handed to the engine in
 * slices of at most 64 KiB, so that the other connections of its event loop are served between
 * them.
 */
public final class PerMessageDeflate implements ExtensionFactory {

    /** The registered extension name. */
    public static final String NAME = "permessage-deflate";
    /** The default compression level. */
    public static final int DEFAULT_COMPRESSION_LEVEL = 6;
    /** The default threshold, in bytes, below which a message goes uncompressed. */
    public static final int DEFAULT_THRESHOLD = 64;

    private final int compressionLevel;
    private final int threshold;
    private final boolean clientNoContextTakeover;
    private final boolean serverNoContextTakeover;
    private final ZlibPool pool;
    private final int clientMaxWindowBits;

    /** permessage-deflate with the default settings. */
    public PerMessageDeflate() {
        this(builder());
    }

    private PerMessageDeflate(Builder b) {
        this.compressionLevel = b.compressionLevel;
        this.threshold = b.threshold;
        this.clientNoContextTakeover = b.clientNoContextTakeover;
        this.serverNoContextTakeover = b.serverNoContextTakeover;
        this.pool = new ZlibPool(b.compressionLevel, b.poolSize);
        this.clientMaxWindowBits = b.clientMaxWindowBits;
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
     * One offer: {@code permessage-deflate}, with the no-context-takeover parameters configured, and
     * {@code client_max_window_bits} where this client is configured to and can keep to it.
     */
    @Override
    public List<ExtensionParameters> offers(ExtensionContext context) {
        ExtensionParameters offer = ExtensionParameters.of(NAME);
        if (serverNoContextTakeover) {
            offer = offer.with(SERVER_NO_CONTEXT_TAKEOVER);
        }
        if (clientNoContextTakeover) {
            offer = offer.with(CLIENT_NO_CONTEXT_TAKEOVER);
        }
        if (offersClientWindow()) {
            offer = offer.with(CLIENT_MAX_WINDOW_BITS, Integer.toString(clientMaxWindowBits));
        }
        return List.of(offer);
    }

    /**
     * Whether this client offers {@code client_max_window_bits}: "a client informs the server that
     * the client supports the "client_max_window_bits" extension parameter in an extension
     * negotiation response" (RFC 7692 §7.1.2.2), which it can keep to only on native zlib. Checked
     * only below 15, so that a default client never looks for libz (the JDK warns about native
     * access when it does).
     */
    private boolean offersClientWindow() {
        return clientMaxWindowBits < MAX_WINDOW_BITS && Zlib.compressesWith(clientMaxWindowBits);
    }

    @Override
    public Optional<Extension> accept(ExtensionParameters offer, ExtensionContext context) {
        DeflateParameters asked;
        try {
            // "A server MUST decline an extension negotiation offer for this extension if any of the
            // following conditions are met: [an undefined parameter, an invalid value, a repeated
            // parameter]" (RFC 7692 §7.1)
            asked = DeflateParameters.parse(offer);
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        // "A server declines an extension negotiation offer with this parameter if the server
        // doesn't support it." (RFC 7692 §7.1.2.1) The JDK's Deflater cannot use a smaller window;
        // native zlib can, down to 9 bits.
        int windowBits = asked.serverMaxWindowBits() == ABSENT ? MAX_WINDOW_BITS : asked.serverMaxWindowBits();
        if (!Zlib.compressesWith(windowBits)) {
            return Optional.empty();
        }
        ExtensionParameters response = ExtensionParameters.of(NAME);
        // "A server accepts an extension negotiation offer that includes the
        // "server_no_context_takeover" extension parameter by including the
        // "server_no_context_takeover" extension parameter in the corresponding extension negotiation
        // response" and "MAY include [it] [...] even if the [...] offer [...] doesn't include [it]"
        // (RFC 7692 §7.1.1.1)
        boolean serverResets = serverNoContextTakeover || asked.serverNoContextTakeover();
        if (serverResets) {
            response = response.with(SERVER_NO_CONTEXT_TAKEOVER);
        }
        // "If the received extension negotiation offer includes the "client_no_context_takeover"
        // extension parameter, the server may [...] use the parameter to avoid taking over the LZ77
        // sliding window unnecessarily by including the "client_no_context_takeover" extension
        // parameter in the corresponding extension negotiation response" (RFC 7692 §7.1.1.2): this
        // server does, so the agreement says what the client already promised.
        boolean clientResets = clientNoContextTakeover || asked.clientNoContextTakeover();
        if (clientResets) {
            response = response.with(CLIENT_NO_CONTEXT_TAKEOVER);
        }
        // "A server accepts an extension negotiation offer with this parameter by including the
        // "server_max_window_bits" extension parameter in the extension negotiation response [...]
        // with the same or smaller value as the offer." (RFC 7692 §7.1.2.1) The same.
        if (asked.serverMaxWindowBits() != ABSENT) {
            response = response.with(SERVER_MAX_WINDOW_BITS, Integer.toString(windowBits));
        }
        int clientWindowBits = clientWindowBits(asked, clientResets);
        if (clientWindowBits != MAX_WINDOW_BITS) {
            response = response.with(CLIENT_MAX_WINDOW_BITS, Integer.toString(clientWindowBits));
        }
        return Optional.of(extension(response, serverResets, windowBits, clientResets, clientWindowBits, context));
    }

    /**
     * The window this server asks the client to compress within, and inflates its messages with;
     * 15 leaves {@code client_max_window_bits} unanswered. "If a received extension negotiation
     * offer doesn't have the "client_max_window_bits" extension parameter, the corresponding
     * extension negotiation response to the offer MUST NOT include the "client_max_window_bits"
     * extension parameter." "If a received extension negotiation offer has the
     * "client_max_window_bits" extension parameter, the server MAY include [it] in the
     * corresponding extension negotiation response [...] with a value equal to or smaller than the
     * received value." (RFC 7692 §7.1.2.2) Asked only where it saves memory (a client that keeps its
     * context) and native zlib can inflate with it; the class comment gives the policy.
     */
    private int clientWindowBits(DeflateParameters asked, boolean clientResets) {
        if (asked.clientMaxWindowBits() == ABSENT || clientResets) {
            return MAX_WINDOW_BITS;
        }
        int offered = asked.clientMaxWindowBits() == NO_VALUE ? MAX_WINDOW_BITS : asked.clientMaxWindowBits();
        int bits = Math.min(offered, clientMaxWindowBits);
        // Looked for only below 15: a default server answering a browser's bare parameter never loads libz.
        return bits < MAX_WINDOW_BITS && Zlib.decompressesWith(bits) ? bits : MAX_WINDOW_BITS;
    }

    /**
     * @throws WebSocketException with 1002 if the response breaks RFC 7692 §7.1 or asks for what
     *     this client cannot do
     */
    @Override
    public Extension accepted(ExtensionParameters response, ExtensionContext context) {
        DeflateParameters agreed;
        try {
            // "A client MUST _Fail the WebSocket Connection_ if the peer server accepted an extension
            // negotiation offer for this extension with an extension negotiation response meeting any
            // of the following conditions: [an undefined parameter, an invalid value, a repeated
            // parameter, a configuration the client does not support]" (RFC 7692 §7.1)
            agreed = DeflateParameters.parse(response);
        } catch (IllegalArgumentException malformed) {
            throw refused(malformed.getMessage());
        }
        int ownWindowBits = ownWindowBits(agreed.clientMaxWindowBits());
        // "A server accepts an extension negotiation offer that includes the
        // "server_no_context_takeover" extension parameter by including the
        // "server_no_context_takeover" extension parameter in the corresponding extension negotiation
        // response" (RFC 7692 §7.1.1.1): without it, the server did not take this client's offer.
        if (serverNoContextTakeover && !agreed.serverNoContextTakeover()) {
            throw refused("server_no_context_takeover was offered but the server did not agree to it");
        }
        // Any server_max_window_bits the parser let through (8 to 15) is fine: the Inflater reads
        // any window up to 32 KiB. The client keeps to client_no_context_takeover when it offered
        // it, as its offer was "a hint that [...] the client is not going to use context takeover"
        // (RFC 7692 §7.1.1.2), and when the server asks for it.
        boolean clientResets = clientNoContextTakeover || agreed.clientNoContextTakeover();
        return extension(response, clientResets, ownWindowBits, agreed.serverNoContextTakeover(), MAX_WINDOW_BITS,
                context);
    }

    /**
     * The window this client compresses with, given the response's {@code client_max_window_bits}:
     * within its own offer's value, and within the answer's.
     *
     * @throws WebSocketException with 1002 if the response names it unasked, without a value, or
     *     with a window this client cannot keep to
     */
    private int ownWindowBits(int answered) {
        if (answered == ABSENT) {
            return offersClientWindow() ? clientMaxWindowBits : MAX_WINDOW_BITS;
        }
        // "If a received extension negotiation offer doesn't have the "client_max_window_bits"
        // extension parameter, the corresponding extension negotiation response to the offer MUST
        // NOT include the "client_max_window_bits" extension parameter." (RFC 7692 §7.1.2.2)
        if (!offersClientWindow()) {
            throw refused("the server sent client_max_window_bits, which was not offered");
        }
        // "[...] the server [...] including the "client_max_window_bits" extension parameter in the
        // corresponding extension negotiation response to the offer with a value" (RFC 7692 §7.1.2.2)
        if (answered == NO_VALUE) {
            throw refused("client_max_window_bits without a value");
        }
        int bits = Math.min(answered, clientMaxWindowBits);
        if (!Zlib.compressesWith(bits)) {
            throw refused("client_max_window_bits=" + answered + ": zlib cannot compress raw DEFLATE with a "
                    + (1 << answered) + "-byte window");
        }
        return bits;
    }

    private Extension extension(ExtensionParameters agreed, boolean ownResets, int ownWindowBits, boolean peerResets,
                                int peerWindowBits, ExtensionContext context) {
        return new DeflateExtension(agreed, new MessageDeflater(compressionLevel, threshold, ownResets, ownWindowBits, pool),
                new MessageInflater(peerResets, peerWindowBits, context.maxMessageSize(), pool));
    }

    private static WebSocketException refused(String problem) {
        return new WebSocketException(CloseCodes.PROTOCOL_ERROR, "permessage-deflate response refused: " + problem);
    }

    @Override
    public String toString() {
        return "PerMessageDeflate[level=" + compressionLevel + ", threshold=" + threshold
                + ", clientNoContextTakeover=" + clientNoContextTakeover
                + ", serverNoContextTakeover=" + serverNoContextTakeover + ", poolSize=" + pool.capacity()
                + ", clientMaxWindowBits=" + clientMaxWindowBits + "]";
    }

    /** Settings for a {@link PerMessageDeflate}; see its class comment for what each means. Not thread-safe. */
    public static final class Builder {
        private int compressionLevel = DEFAULT_COMPRESSION_LEVEL;
        private int threshold = DEFAULT_THRESHOLD;
        private boolean clientNoContextTakeover;
        private boolean serverNoContextTakeover;
        private int poolSize = ZlibPool.defaultCapacity();
        private int clientMaxWindowBits = MAX_WINDOW_BITS;

        private Builder() {
        }

        /**
         * The zlib compression level (default {@value PerMessageDeflate#DEFAULT_COMPRESSION_LEVEL}).
         *
         * @throws IllegalArgumentException unless 0 to 9
         */
        public Builder compressionLevel(int level) {
            if (level < 0 || level > 9) {
                throw new IllegalArgumentException("compression level must be 0 to 9: " + level);
            }
            this.compressionLevel = level;
            return this;
        }

        /**
         * Messages sent in one frame and shorter than this many bytes go uncompressed (default
         * {@value PerMessageDeflate#DEFAULT_THRESHOLD}; 0 compresses every message).
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
         * How many idle zlib compressors, and as many decompressors, the factory keeps for directions
         * without context takeover (default twice the available processors); 0 makes and ends a
         * context for every message.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder poolSize(int contexts) {
            if (contexts < 0) {
                throw new IllegalArgumentException("pool size must not be negative: " + contexts);
            }
            this.poolSize = contexts;
            return this;
        }

        /**
         * The largest LZ77 window the client compresses with, as 2<sup>bits</sup> bytes (default 15:
         * none asked). A server answers an offer's {@code client_max_window_bits} with at most this,
         * and inflates with it; a client offers it and keeps to it. Both only where native zlib is
         * there (JDK 22 and later with libz; ignored elsewhere), and as the class comment details.
         *
         * @throws IllegalArgumentException unless 9 to 15 (zlib cannot compress raw DEFLATE with 8)
         */
        public Builder clientMaxWindowBits(int bits) {
            if (bits < Zlib.MIN_NATIVE_WINDOW_BITS || bits > MAX_WINDOW_BITS) {
                throw new IllegalArgumentException("client_max_window_bits must be 9 to 15: " + bits);
            }
            this.clientMaxWindowBits = bits;
            return this;
        }

        /** The factory with these settings. */
        public PerMessageDeflate build() {
            return new PerMessageDeflate(this);
        }
    }
}
