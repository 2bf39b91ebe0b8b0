package dev.weft.ext.deflateframe;

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

import static dev.weft.ext.deflateframe.FrameParameters.NO_CONTEXT_TAKEOVER;

/**
 * The per-frame DEFLATE extension (draft-tyoshino-hybi-websocket-perframe-deflate) under one of its
 * two names: negotiation for both roles, and the {@link Extension} that compresses each data frame
 * on its own with the JDK's zlib. Immutable and thread-safe: one instance serves every connection.
 *
 * <h2>Two names</h2>
 * The same extension is known as {@value #NAME} and, in the WebKit browsers that shipped it before
 * the draft settled, as {@value #WEBKIT_NAME}. Weft negotiates each extension name with one factory,
 * so one factory serves one name ({@link Builder#name(String)}); to serve both, list two
 * ({@link Builder#buildForBothNames()}). {@code ServiceLoader} finds one of each: this class for
 * {@value #NAME} and {@link WebkitDeflateFrame} for {@value #WEBKIT_NAME}. Both claim RSV1, as
 * permessage-deflate does, so a connection agrees at most one of the three: a server takes the
 * first of the client's offers it can accept.
 *
 * <h2>Parameters</h2>
 * The draft's two parameters have no direction in their names: each is a request from the end that
 * sends the header to the end that reads it, about how the reader compresses.
 * <ul>
 * <li>{@code no_context_takeover}: compress each frame without reference to the frames before. A
 *     server honours it in an offer; a client honours it in a response. Either end may also compress
 *     that way unasked ({@link Builder#noContextTakeover(boolean)}): the peer's decompressor cannot
 *     tell.</li>
 * <li>{@code max_window_bits} (8 to 15): compress with an LZ77 window of at most 2<sup>n</sup>
 *     bytes. The JDK's {@code Deflater} always uses 32 KiB (15). On JDK 22 and later with libz,
 *     native zlib keeps to 9 to 14 bits (see permessage-deflate's {@code PerMessageDeflate}); without
 *     it, and for 8 (which zlib cannot do for raw DEFLATE), a server declines an offer asking for
 *     less than 15 and a client fails the handshake on a response asking for less. Neither end ever
 *     sends it: the JDK's {@code Inflater} reads any window.</li>
 * </ul>
 * An element with any other parameter, one given twice, or a malformed value is declined by a
 * server and refused by a client.
 *
 * <h2>Settings</h2>
 * <ul>
 * <li>{@link Builder#name(String) name}: {@value #NAME} (default) or {@value #WEBKIT_NAME}.</li>
 * <li>{@link Builder#compressionLevel(int) compressionLevel}: zlib's level, 0 (stored) to 9 (best);
 *     default {@value #DEFAULT_COMPRESSION_LEVEL}.</li>
 * <li>{@link Builder#threshold(int) threshold}: a frame with fewer payload bytes than this goes
 *     uncompressed, RSV1 clear; default {@value #DEFAULT_THRESHOLD}. An empty frame is never
 *     compressed.</li>
 * <li>{@link Builder#noContextTakeover(boolean) noContextTakeover}: this end compresses each frame
 *     on its own, whatever the peer asked; default off. It costs compression on small frames, but
 *     the connection keeps no compression history, and a server's broadcasts are compressed once for
 *     all such recipients.</li>
 * <li>{@link Builder#requestNoContextTakeover(boolean) requestNoContextTakeover}: ask the peer to
 *     compress each frame on its own, with {@code no_context_takeover} in a client's offer or a
 *     server's response; default off. Peers that take no parameters (Netty's handshakers among them)
 *     then decline the offer, or fail on the response.</li>
 * <li>{@link Builder#offer(boolean) offer}: whether a client offers the extension at all; default
 *     on. As with every installed extension, a client left with {@code WebSocketConfig}'s default
 *     extensions offers what {@code ServiceLoader} finds, in its order; a client that prefers
 *     permessage-deflate lists its extensions itself, permessage-deflate first.</li>
 * <li>{@link Builder#poolSize(int) poolSize}: how many idle zlib compressors, and as many
 *     decompressors, the factory keeps for directions without context takeover, which borrow one
 *     for each compressed frame and give it back after it, so an idle connection holds none;
 *     default twice the available processors.</li>
 * </ul>
 *
 * <h2>Failures</h2>
 * A server declines an offer it cannot take (the engine then tries the client's next offer). A
 * client refuses a response it cannot take with a {@link WebSocketException} carrying 1002
 * ({@link CloseCodes#PROTOCOL_ERROR}), as Weft's permessage-deflate does, and the handshake fails
 * before any frame is sent. On an agreed connection: RSV1 on a control frame fails with 1002, data
 * that does not inflate with 1007, a frame that inflates past
 * {@link ExtensionContext#maxFrameSize()} or a message past {@link ExtensionContext#maxMessageSize()}
 * with 1009, checked while inflating. A frame whose DEFLATE data ends in a block with BFINAL set is
 * taken like any other.
 *
 * <h2>Resources</h2>
 * Each end makes its zlib compressor on the first frame it compresses and its decompressor on the
 * first compressed frame it receives, and ends both when the connection ends. It reports them
 * through {@code Extension.heldBytes()} at the size zlib documents: about 262 KiB for a compressor
 * and 39 KiB for a decompressor. A compressed frame's output is handed to the engine in slices of
 * at most 64 KiB, so that the other connections of its event loop are served between them.
 */
public final class DeflateFrame implements ExtensionFactory {

    /** The extension name of the draft. */
    public static final String NAME = "deflate-frame";
    /** The vendor-prefixed name WebKit browsers used. */
    public static final String WEBKIT_NAME = "x-webkit-deflate-frame";
    /** The default compression level. */
    public static final int DEFAULT_COMPRESSION_LEVEL = 6;
    /** The default threshold, in bytes, below which a frame goes uncompressed. */
    public static final int DEFAULT_THRESHOLD = 64;

    private final String name;
    private final int compressionLevel;
    private final int threshold;
    private final boolean noContextTakeover;
    private final boolean requestNoContextTakeover;
    private final boolean offer;
    private final ZlibPool pool;

    /**
     * {@value #NAME} with the default settings, as {@code ServiceLoader} makes it: a client offers
     * it and a server accepts it.
     */
    public DeflateFrame() {
        this(builder());
    }

    private DeflateFrame(Builder b) {
        this.name = b.name;
        this.compressionLevel = b.compressionLevel;
        this.threshold = b.threshold;
        this.noContextTakeover = b.noContextTakeover;
        this.requestNoContextTakeover = b.requestNoContextTakeover;
        this.offer = b.offer;
        this.pool = new ZlibPool(b.compressionLevel, b.poolSize);
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * One offer, this factory's name with {@code no_context_takeover} if it requests it; none if it
     * is not to be offered.
     */
    @Override
    public List<ExtensionParameters> offers(ExtensionContext context) {
        if (!offer) {
            return List.of();
        }
        ExtensionParameters element = ExtensionParameters.of(name);
        return List.of(requestNoContextTakeover ? element.with(NO_CONTEXT_TAKEOVER) : element);
    }

    @Override
    public Optional<Extension> accept(ExtensionParameters offer, ExtensionContext context) {
        FrameParameters asked;
        try {
            asked = FrameParameters.parse(offer);
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        // The client may ask this server to compress with a window it cannot keep to.
        if (!Zlib.compressesWith(asked.windowBits())) {
            return Optional.empty();
        }
        // The response's parameters are this server's requests to the client; the client's
        // requests were granted by accepting the offer, and are not repeated.
        ExtensionParameters response = ExtensionParameters.of(name);
        if (requestNoContextTakeover) {
            response = response.with(NO_CONTEXT_TAKEOVER);
        }
        boolean ownResets = noContextTakeover || asked.noContextTakeover();
        return Optional.of(extension(response, ownResets, asked.windowBits(), requestNoContextTakeover, context));
    }

    /**
     * @throws WebSocketException with 1002 if the response is malformed or asks for what this client
     *     cannot do
     */
    @Override
    public Extension accepted(ExtensionParameters response, ExtensionContext context) {
        FrameParameters asked;
        try {
            asked = FrameParameters.parse(response);
        } catch (IllegalArgumentException malformed) {
            throw refused(malformed.getMessage());
        }
        if (!Zlib.compressesWith(asked.windowBits())) {
            throw refused("the server asks for max_window_bits=" + asked.maxWindowBits()
                    + ", but this client compresses only with a 32 KiB window (15) here");
        }
        // By accepting the offer the server agreed to what it asked; the client's inflater relies on
        // no_context_takeover only when it asked for it.
        boolean ownResets = noContextTakeover || asked.noContextTakeover();
        return extension(response, ownResets, asked.windowBits(), requestNoContextTakeover, context);
    }

    private Extension extension(ExtensionParameters agreed, boolean ownResets, int ownWindowBits, boolean peerResets,
                                ExtensionContext context) {
        return new DeflateFrameExtension(agreed,
                new FrameDeflater(compressionLevel, threshold, ownResets, ownWindowBits, pool),
                new FrameInflater(peerResets, context.maxFrameSize(), context.maxMessageSize(), pool));
    }

    private WebSocketException refused(String problem) {
        return new WebSocketException(CloseCodes.PROTOCOL_ERROR, name + " response refused: " + problem);
    }

    @Override
    public String toString() {
        return "DeflateFrame[" + name + ", level=" + compressionLevel + ", threshold=" + threshold
                + ", noContextTakeover=" + noContextTakeover
                + ", requestNoContextTakeover=" + requestNoContextTakeover + ", offer=" + offer
                + ", poolSize=" + pool.capacity() + "]";
    }

    /** Settings for a {@link DeflateFrame}; see its class comment for what each means. Not thread-safe. */
    public static final class Builder {
        private String name = NAME;
        private int compressionLevel = DEFAULT_COMPRESSION_LEVEL;
        private int threshold = DEFAULT_THRESHOLD;
        private boolean noContextTakeover;
        private boolean requestNoContextTakeover;
        private boolean offer = true;
        private int poolSize = ZlibPool.defaultCapacity();

        private Builder() {
        }

        /**
         * The name this factory negotiates (default {@value DeflateFrame#NAME}).
         *
         * @throws IllegalArgumentException unless {@value DeflateFrame#NAME} or
         *     {@value DeflateFrame#WEBKIT_NAME}
         */
        public Builder name(String name) {
            if (!NAME.equals(name) && !WEBKIT_NAME.equals(name)) {
                throw new IllegalArgumentException("not a name of per-frame deflate: " + name);
            }
            this.name = name;
            return this;
        }

        /**
         * The zlib compression level (default {@value DeflateFrame#DEFAULT_COMPRESSION_LEVEL}).
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
         * Frames with fewer payload bytes than this go uncompressed (default
         * {@value DeflateFrame#DEFAULT_THRESHOLD}; 0 compresses every frame that is not empty).
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

        /** Whether this end compresses each frame without the ones before, asked or not (default false). */
        public Builder noContextTakeover(boolean enabled) {
            this.noContextTakeover = enabled;
            return this;
        }

        /** Whether to ask the peer, with {@code no_context_takeover}, to compress each frame on its own (default false). */
        public Builder requestNoContextTakeover(boolean enabled) {
            this.requestNoContextTakeover = enabled;
            return this;
        }

        /** Whether a client offers the extension (default true); a server accepts it either way. */
        public Builder offer(boolean enabled) {
            this.offer = enabled;
            return this;
        }

        /**
         * How many idle zlib compressors, and as many decompressors, the factory keeps for directions
         * without context takeover (default twice the available processors); 0 makes and ends a
         * context for every frame.
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

        /** The factory with these settings. */
        public DeflateFrame build() {
            return new DeflateFrame(this);
        }

        /**
         * Two factories with these settings, for {@value DeflateFrame#NAME} and then
         * {@value DeflateFrame#WEBKIT_NAME}, whatever {@link #name(String)} says: a client lists
         * both in its offer in that order of preference, and a server accepts either.
         */
        public List<ExtensionFactory> buildForBothNames() {
            String chosen = name;
            try {
                return List.of(name(NAME).build(), name(WEBKIT_NAME).build());
            } finally {
                name = chosen;
            }
        }
    }
}
