package dev.weft.core.session;

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

/**
 * A test extension, {@code x-repeat}, that behaves like a decompressor: a data frame marked with
 * RSV2 stands for its payload repeated {@code times} times, and the receiver hands that output
 * back in slices of at most {@code slice} bytes, checking the message size limit as it goes. The
 * sender marks every data message's first frame and sends the payload as it is. A frame saying
 * "OOM" makes the decoder throw an {@link OutOfMemoryError}, as running out of memory would.
 */
final class RepeatExtensionFactory implements ExtensionFactory {

    private final int times;
    private final int slice;

    RepeatExtensionFactory(int times, int slice) {
        this.times = times;
        this.slice = slice;
    }

    @Override
    public String name() {
        return "x-repeat";
    }

    @Override
    public List<ExtensionParameters> offers(ExtensionContext context) {
        return List.of(ExtensionParameters.of(name()));
    }

    @Override
    public Optional<Extension> accept(ExtensionParameters offer, ExtensionContext context) {
        return Optional.of(new Repeat(context.maxMessageSize()));
    }

    @Override
    public Extension accepted(ExtensionParameters response, ExtensionContext context) {
        return new Repeat(context.maxMessageSize());
    }

    private final class Repeat implements Extension {
        private final ExtensionEncoder encoder = new Marker();
        private final ExtensionDecoder decoder;

        Repeat(int maxMessageSize) {
            this.decoder = new Repeater(maxMessageSize);
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

    private final class Repeater implements ExtensionDecoder {
        private final int maxMessageSize;
        private Frame input;
        private long produced;
        private long total;
        private long messageSize;

        Repeater(int maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
        }

        @Override
        public Frame decode(Frame frame) {
            if (!frame.rsv2()) {
                return frame;
            }
            if (frame.payload().equals(ByteBuffer.wrap("OOM".getBytes()))) {
                throw new OutOfMemoryError("test: no memory left while decoding");
            }
            input = frame;
            produced = 0;
            total = (long) frame.payloadLength() * times;
            messageSize = 0;
            return next(frame.opcode());
        }

        @Override
        public boolean hasPendingOutput() {
            return input != null;
        }

        @Override
        public Frame decodePending() {
            return next(Opcode.CONTINUATION);
        }

        private Frame next(Opcode opcode) {
            int n = (int) Math.min(slice, total - produced);
            messageSize += n;
            if (messageSize > maxMessageSize) {
                throw new WebSocketException(CloseCodes.MESSAGE_TOO_BIG, "repeats past the limit");
            }
            ByteBuffer in = input.payload();
            ByteBuffer out = ByteBuffer.allocate(n);
            for (int i = 0; i < n; i++) {
                out.put(in.get(in.position() + (int) ((produced + i) % in.remaining())));
            }
            produced += n;
            boolean last = produced == total;
            Frame slice = new Frame(last && input.fin(), 0, opcode, out.flip());
            if (last) {
                input = null;
            }
            return slice;
        }

        @Override
        public long heldBytes() {
            return input == null ? 0 : 1000;
        }

        @Override
        public void close() {
            input = null;
        }
    }
}
