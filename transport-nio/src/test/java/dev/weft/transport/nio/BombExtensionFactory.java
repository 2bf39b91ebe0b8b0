package dev.weft.transport.nio;

import dev.weft.api.CloseCodes;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionDecoder;
import dev.weft.api.extension.ExtensionEncoder;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test extension, {@code x-bomb}, standing for a decompression bomb: a data frame marked with
 * RSV2 decodes to output without end, handed back in slices as a decompressor must. Until
 * {@link #defuse} is set its slices are one byte each, so it can go on for as long as it takes the
 * loop to serve a neighbour; after that they are 64 KiB, until the message limit fails it with
 * 1009. A decoder that never yielded to its loop would never see the neighbour, and never stop.
 * The sender marks each data message's first frame and sends its payload as it is.
 */
final class BombExtensionFactory implements ExtensionFactory {

    static final int SLICE = 64 * 1024;

    /** Set (on the loop thread) once the test has seen what it waits for. */
    final AtomicBoolean defuse = new AtomicBoolean();
    /** Slices produced, by every bomb. */
    final AtomicInteger slices = new AtomicInteger();

    @Override
    public String name() {
        return "x-bomb";
    }

    @Override
    public List<ExtensionParameters> offers(ExtensionContext context) {
        return List.of(ExtensionParameters.of(name()));
    }

    @Override
    public Optional<Extension> accept(ExtensionParameters offer, ExtensionContext context) {
        return Optional.of(new Bomb(context.maxMessageSize()));
    }

    @Override
    public Extension accepted(ExtensionParameters response, ExtensionContext context) {
        return new Bomb(context.maxMessageSize());
    }

    private final class Bomb implements Extension {
        private final ExtensionEncoder encoder = new Marker();
        private final ExtensionDecoder decoder;

        Bomb(int maxMessageSize) {
            this.decoder = new Exploder(maxMessageSize);
        }

        @Override
        public ExtensionParameters parameters() {
            return ExtensionParameters.of(name());
        }

        @Override
        public int rsv() {
            return Frame.RSV2;
        }

        @Override
        public ExtensionEncoder encoder() {
            return encoder;
        }

        @Override
        public ExtensionDecoder decoder() {
            return decoder;
        }
    }

    /** Marks the first frame of each data message. */
    private static final class Marker implements ExtensionEncoder {
        @Override
        public Frame encode(Frame frame) {
            return frame.opcode() == Opcode.TEXT || frame.opcode() == Opcode.BINARY
                    ? frame.withRsv(frame.rsv() | Frame.RSV2) : frame;
        }

        @Override
        public void close() {
        }
    }

    private final class Exploder implements ExtensionDecoder {
        private final int maxMessageSize;
        private boolean exploding;
        private long produced;

        Exploder(int maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
        }

        @Override
        public Frame decode(Frame frame) {
            if (!frame.rsv2() || !frame.payload().equals(ByteBuffer.wrap("BOOM".getBytes()))) {
                return frame.withRsv(frame.rsv() & ~Frame.RSV2);
            }
            exploding = true;
            produced = 0;
            return slice(frame.opcode());
        }

        @Override
        public boolean hasPendingOutput() {
            return exploding;
        }

        @Override
        public Frame decodePending() {
            return slice(Opcode.CONTINUATION);
        }

        private Frame slice(Opcode opcode) {
            slices.incrementAndGet();
            int n = defuse.get() ? SLICE : 1;
            produced += n;
            if (produced > maxMessageSize) {
                exploding = false;
                throw new WebSocketException(CloseCodes.MESSAGE_TOO_BIG, "the bomb went past the limit");
            }
            return new Frame(false, 0, opcode, ByteBuffer.allocate(n));
        }

        @Override
        public void close() {
            exploding = false;
        }
    }
}
