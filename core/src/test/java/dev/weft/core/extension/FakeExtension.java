package dev.weft.core.extension;

import dev.weft.api.Frame;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionDecoder;
import dev.weft.api.extension.ExtensionEncoder;
import dev.weft.api.extension.ExtensionParameters;

/** A test extension that passes frames through and counts how often it is closed. */
public class FakeExtension implements Extension {

    private final ExtensionParameters parameters;
    private final int rsv;
    private final ExtensionEncoder encoder = new PassingEncoder();
    private final ExtensionDecoder decoder = new PassingDecoder();
    private int closes;

    FakeExtension(ExtensionParameters parameters, int rsv) {
        this.parameters = parameters;
        this.rsv = rsv;
    }

    @Override
    public ExtensionParameters parameters() {
        return parameters;
    }

    @Override
    public int rsv() {
        return rsv;
    }

    @Override
    public ExtensionEncoder encoder() {
        return encoder;
    }

    @Override
    public ExtensionDecoder decoder() {
        return decoder;
    }

    /** Counts; its halves hold nothing. */
    @Override
    public void close() {
        closes++;
    }

    /** How many times {@link #close()} was called. */
    public int closes() {
        return closes;
    }

    @Override
    public String toString() {
        return parameters.toString();
    }

    private static final class PassingEncoder implements ExtensionEncoder {
        @Override
        public Frame encode(Frame frame) {
            return frame;
        }

        @Override
        public void close() {
        }
    }

    private static final class PassingDecoder implements ExtensionDecoder {
        @Override
        public Frame decode(Frame frame) {
            return frame;
        }

        @Override
        public void close() {
        }
    }
}
