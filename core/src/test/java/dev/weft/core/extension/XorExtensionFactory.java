package dev.weft.core.extension;

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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test extension, {@code x-xor}: XORs every data payload byte with a key, marks such frames with
 * RSV3, and fails with 1009 on a frame whose payload is "BOMB". A frame whose payload is "CRASH"
 * makes it throw a plain runtime exception, as a buggy extension would, on the way out or in.
 * It counts how often its extensions are made, encode a frame, and are closed. Made with
 * {@code withoutHistory}, it declares that it encodes each message on its own (which XOR does), so
 * that servers may share its encoded frames.
 */
final class XorExtensionFactory implements ExtensionFactory {

    final AtomicInteger created = new AtomicInteger();
    final AtomicInteger encoded = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    private final boolean withoutHistory;

    XorExtensionFactory() {
        this(false);
    }

    XorExtensionFactory(boolean withoutHistory) {
        this.withoutHistory = withoutHistory;
    }

    @Override
    public String name() {
        return "x-xor";
    }

    @Override
    public List<ExtensionParameters> offers(ExtensionContext context) {
        return List.of(ExtensionParameters.of("x-xor").with("key", "90"));
    }

    @Override
    public Optional<Extension> accept(ExtensionParameters offer, ExtensionContext context) {
        return offer.value("key").map(k -> new Xor(Integer.parseInt(k)));
    }

    @Override
    public Extension accepted(ExtensionParameters response, ExtensionContext context) {
        return new Xor(Integer.parseInt(response.value("key").orElseThrow()));
    }

    /** The connection's extension; its halves hold nothing, so closing it only counts. */
    private final class Xor implements Extension {
        private final int key;
        private final XorEncoder encoder;
        private final XorDecoder decoder;

        Xor(int key) {
            this.key = key;
            this.encoder = new XorEncoder(key);
            this.decoder = new XorDecoder(key);
            created.incrementAndGet();
        }

        @Override
        public ExtensionParameters parameters() {
            return ExtensionParameters.of("x-xor").with("key", Integer.toString(key));
        }

        @Override
        public int rsv() {
            return Frame.RSV3;
        }

        @Override
        public ExtensionEncoder encoder() {
            return encoder;
        }

        @Override
        public ExtensionDecoder decoder() {
            return decoder;
        }

        @Override
        public boolean encodesWithoutHistory() {
            return withoutHistory;
        }

        @Override
        public ExtensionEncoder newEncoder() {
            return withoutHistory ? new XorEncoder(key) : Extension.super.newEncoder();
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    /** Closed by itself only when made by {@code newEncoder()}: then it counts as a close. */
    private final class XorEncoder implements ExtensionEncoder {
        private final int key;

        XorEncoder(int key) {
            this.key = key;
        }

        @Override
        public Frame encode(Frame frame) {
            if (says(frame, "CRASH OUT")) {
                throw new IllegalStateException("encoder bug");
            }
            encoded.incrementAndGet();
            return frame.opcode().isControl() ? frame : xor(frame, key).withRsv(frame.rsv() | Frame.RSV3);
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    private static final class XorDecoder implements ExtensionDecoder {
        private final int key;

        XorDecoder(int key) {
            this.key = key;
        }

        @Override
        public Frame decode(Frame frame) {
            if (frame.opcode().isControl()) {
                return frame;
            }
            if (!frame.rsv3()) {
                throw new WebSocketException(CloseCodes.PROTOCOL_ERROR, "x-xor data frame without RSV3");
            }
            Frame plain = xor(frame, key).withRsv(frame.rsv() & ~Frame.RSV3);
            if (says(plain, "BOMB")) {
                throw new WebSocketException(CloseCodes.MESSAGE_TOO_BIG, "inflated too far");
            }
            if (says(plain, "CRASH IN")) {
                throw new IllegalStateException("decoder bug");
            }
            return plain;
        }

        @Override
        public void close() {
        }
    }

    private static boolean says(Frame frame, String text) {
        return frame.opcode() == Opcode.TEXT && frame.payload().equals(ByteBuffer.wrap(text.getBytes()));
    }

    private static Frame xor(Frame frame, int key) {
        ByteBuffer in = frame.payload();
        ByteBuffer out = ByteBuffer.allocate(in.remaining());
        while (in.hasRemaining()) {
            out.put((byte) (in.get() ^ key));
        }
        return frame.withPayload(out.flip());
    }
}
