package dev.weft.core.extension;

import dev.weft.api.Frame;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionDecoder;
import dev.weft.api.extension.ExtensionEncoder;
import dev.weft.api.extension.ExtensionParameters;

import java.util.ArrayList;
import java.util.List;

/**
 * The extensions agreed for one connection, applied in the order RFC 6455 §9.1 gives them: outgoing
 * frames pass their encoders in the order of the server's response, incoming frames their decoders
 * in the reverse order. Not thread safe: used on the connection's thread, except for
 * {@link #newEncoders()}.
 */
public final class ExtensionChain implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ExtensionChain.class.getName());
    private static final ExtensionEncoder[] NO_ENCODERS = {};
    private static final ExtensionDecoder[] NO_DECODERS = {};

    private final List<Extension> extensions;
    /** Each extension's halves, taken once, in response order. */
    private final ExtensionEncoder[] encoders;
    private final ExtensionDecoder[] decoders;
    private final int rsv;
    private final boolean encodesWithoutHistory;
    private final List<ExtensionParameters> parameters;
    private boolean closed;

    /**
     * @param extensions the agreed extensions in response order
     * @throws IllegalArgumentException if two of them claim the same reserved bit
     */
    public ExtensionChain(List<Extension> extensions) {
        this.extensions = List.copyOf(extensions);
        int bits = 0;
        for (Extension e : this.extensions) {
            if ((bits & e.rsv()) != 0) {
                throw new IllegalArgumentException("two extensions claim the same reserved bit: "
                        + e.parameters().name());
            }
            bits |= e.rsv();
        }
        this.rsv = bits;
        this.encodesWithoutHistory = this.extensions.stream().allMatch(Extension::encodesWithoutHistory);
        if (this.extensions.isEmpty()) {
            // Most connections agree none: they share these rather than hold empty ones each.
            this.encoders = NO_ENCODERS;
            this.decoders = NO_DECODERS;
            this.parameters = List.of();
            return;
        }
        this.encoders = this.extensions.stream().map(Extension::encoder).toArray(ExtensionEncoder[]::new);
        this.decoders = this.extensions.stream().map(Extension::decoder).toArray(ExtensionDecoder[]::new);
        // Fixed at agreement; a broadcast groups recipients by it, so it is built once.
        this.parameters = this.extensions.stream().map(Extension::parameters).toList();
    }

    /** Whether no extension was agreed. */
    public boolean isEmpty() {
        return extensions.isEmpty();
    }

    /** The reserved bits the agreed extensions claim. */
    public int rsv() {
        return rsv;
    }

    /**
     * Whether every extension encodes each message without reference to earlier ones (true when
     * there are none), so that encoded messages can be shared with other connections.
     */
    public boolean encodesWithoutHistory() {
        return encodesWithoutHistory;
    }

    /**
     * {@linkplain Extension#newEncoder() New encoders} with these parameters, for encoding a
     * message on behalf of many connections, on any thread; no decoder is made. The caller closes
     * them.
     *
     * @throws IllegalStateException unless {@link #encodesWithoutHistory()}
     */
    public Encoders newEncoders() {
        if (!encodesWithoutHistory) {
            throw new IllegalStateException("an extension keeps history between messages");
        }
        List<ExtensionEncoder> made = new ArrayList<>(extensions.size());
        try {
            for (Extension e : extensions) {
                made.add(e.newEncoder());
            }
        } catch (RuntimeException e) {
            new Encoders(made).close();
            throw e;
        }
        return new Encoders(made);
    }

    /** The agreed parameters, in response order. */
    public List<ExtensionParameters> parameters() {
        return parameters;
    }

    /** Passes an outgoing frame through every encoder, in response order. */
    public Frame encode(Frame frame) {
        return encodeAll(encoders, frame);
    }

    private static Frame encodeAll(ExtensionEncoder[] encoders, Frame frame) {
        for (ExtensionEncoder e : encoders) {
            frame = e.encode(frame);
        }
        return frame;
    }

    /**
     * Passes an incoming frame through every decoder, in reverse response order. If a decoder
     * hands back part of its output ({@link #hasPendingOutput()}), the rest comes from
     * {@link #decodePending()}, and no new frame may be given meanwhile.
     */
    public Frame decode(Frame frame) {
        return decodeFrom(decoders.length - 1, frame);
    }

    /** Whether a decoder still has output for the frame last decoded. */
    public boolean hasPendingOutput() {
        for (ExtensionDecoder d : decoders) {
            if (d.hasPendingOutput()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The next slice of output, passed through the decoders after the one it came from. The
     * decoder nearest the application that has output pending goes first: its pending output came
     * from the slice before, which the decoders further from it had already produced.
     *
     * @throws IllegalStateException if nothing is pending
     */
    public Frame decodePending() {
        for (int i = 0; i < decoders.length; i++) {
            if (decoders[i].hasPendingOutput()) {
                return decodeFrom(i - 1, decoders[i].decodePending());
            }
        }
        throw new IllegalStateException("no extension has output pending");
    }

    private Frame decodeFrom(int index, Frame frame) {
        for (int i = index; i >= 0; i--) {
            frame = decoders[i].decode(frame);
        }
        return frame;
    }

    /** What the extensions hold now, in bytes (see {@link Extension#heldBytes()}). */
    public long heldBytes() {
        long sum = 0;
        // Indexed: asked after every frame, so no iterator.
        for (int i = 0; i < extensions.size(); i++) {
            sum += extensions.get(i).heldBytes();
        }
        return sum;
    }

    /**
     * Closes every extension once. A failure in one is logged and does not stop the others from
     * being closed: their native resources must be freed regardless.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Extension e : extensions) {
            closeLogged(e, e.parameters().name());
        }
    }

    private static void closeLogged(AutoCloseable closeable, String name) {
        try {
            closeable.close();
        } catch (Exception ex) {
            LOG.log(System.Logger.Level.WARNING, "extension " + name + " failed to close", ex);
        }
    }

    /**
     * New encoders for the agreed extensions, from {@link #newEncoders()}: a message encoded with
     * them can be sent on every connection whose agreed parameters are equal. Used on one thread;
     * the caller closes it.
     */
    public final class Encoders implements AutoCloseable {

        private final ExtensionEncoder[] made;
        private boolean closed;

        private Encoders(List<ExtensionEncoder> made) {
            this.made = made.toArray(ExtensionEncoder[]::new);
        }

        /** Passes an outgoing frame through every encoder, in response order. */
        public Frame encode(Frame frame) {
            return encodeAll(made, frame);
        }

        /** Closes every encoder once; a failure in one is logged and does not stop the others. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            // The list is partial when making one failed; the names follow the chain's order.
            for (int i = 0; i < made.length; i++) {
                closeLogged(made[i], parameters.get(i).name());
            }
        }
    }
}
