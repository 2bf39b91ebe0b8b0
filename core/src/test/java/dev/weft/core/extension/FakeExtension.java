package dev.weft.core.extension;

import dev.weft.api.Frame;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionParameters;

/** A test extension that passes frames through and counts how often it is closed. */
public class FakeExtension implements Extension {

    private final ExtensionParameters parameters;
    private final int rsv;
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
    public Frame encode(Frame frame) {
        return frame;
    }

    @Override
    public Frame decode(Frame frame) {
        return frame;
    }

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
}
