package dev.weft.core.extension;

import dev.weft.api.Frame;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionParameters;

import java.util.ArrayList;
import java.util.List;

/**
 * The extensions agreed for one connection, applied in the order RFC 6455 §9.1 gives them: outgoing
 * frames pass them in the order of the server's response, incoming frames in the reverse order.
 * Not thread safe: used on the connection's thread.
 */
public final class ExtensionChain implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ExtensionChain.class.getName());

    private final List<Extension> extensions;
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
     * A chain of {@linkplain Extension#newEncoder() new encoders} with these parameters, for
     * encoding a message on behalf of many connections, on any thread. The caller closes it.
     *
     * @throws IllegalStateException unless {@link #encodesWithoutHistory()}
     */
    public ExtensionChain newEncoders() {
        if (!encodesWithoutHistory) {
            throw new IllegalStateException("an extension keeps history between messages");
        }
        List<Extension> encoders = new ArrayList<>(extensions.size());
        try {
            for (Extension e : extensions) {
                encoders.add(e.newEncoder());
            }
        } catch (RuntimeException e) {
            new ExtensionChain(encoders).close();
            throw e;
        }
        return new ExtensionChain(encoders);
    }

    /** The agreed parameters, in response order. */
    public List<ExtensionParameters> parameters() {
        return parameters;
    }

    /** Passes an outgoing frame through every extension, in response order. */
    public Frame encode(Frame frame) {
        for (Extension e : extensions) {
            frame = e.encode(frame);
        }
        return frame;
    }

    /**
     * Passes an incoming frame through every extension, in reverse response order. If an
     * extension hands back part of its output ({@link #hasPendingOutput()}), the rest comes from
     * {@link #decodePending()}, and no new frame may be given meanwhile.
     */
    public Frame decode(Frame frame) {
        return decodeFrom(extensions.size() - 1, frame);
    }

    /** Whether an extension still has output for the frame last decoded. */
    public boolean hasPendingOutput() {
        // Indexed: asked after every decoded frame, so no iterator.
        for (int i = 0; i < extensions.size(); i++) {
            if (extensions.get(i).hasPendingOutput()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The next slice of output, passed through the extensions after the one it came from. The
     * extension nearest the application that has output pending goes first: its pending output
     * came from the slice before, which the extensions further from it had already produced.
     *
     * @throws IllegalStateException if nothing is pending
     */
    public Frame decodePending() {
        for (int i = 0; i < extensions.size(); i++) {
            Extension e = extensions.get(i);
            if (e.hasPendingOutput()) {
                return decodeFrom(i - 1, e.decodePending());
            }
        }
        throw new IllegalStateException("no extension has output pending");
    }

    private Frame decodeFrom(int index, Frame frame) {
        for (int i = index; i >= 0; i--) {
            frame = extensions.get(i).decode(frame);
        }
        return frame;
    }

    /** What the extensions hold now, in bytes (see {@link Extension#heldBytes()}). */
    public long heldBytes() {
        long sum = 0;
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
            try {
                e.close();
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "extension " + e.parameters().name() + " failed to close", ex);
            }
        }
    }
}
