package dev.weft.ext.deflateframe;

import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;

import java.util.List;
import java.util.Optional;

/**
 * The {@code ServiceLoader} provider for {@value DeflateFrame#WEBKIT_NAME}, the name WebKit
 * browsers gave per-frame deflate: {@link DeflateFrame} with that name and the default settings,
 * which a client offers and a server accepts. {@code ServiceLoader} needs a class with a
 * no-argument constructor for each name; in code, use
 * {@code DeflateFrame.builder().name(DeflateFrame.WEBKIT_NAME)} instead, which can be tuned.
 * Immutable and thread-safe.
 */
public final class WebkitDeflateFrame implements ExtensionFactory {

    private final DeflateFrame delegate = DeflateFrame.builder().name(DeflateFrame.WEBKIT_NAME).build();

    /** {@value DeflateFrame#WEBKIT_NAME} with the default settings. */
    public WebkitDeflateFrame() {
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public List<ExtensionParameters> offers(ExtensionContext context) {
        return delegate.offers(context);
    }

    @Override
    public Optional<Extension> accept(ExtensionParameters offer, ExtensionContext context) {
        return delegate.accept(offer, context);
    }

    @Override
    public Extension accepted(ExtensionParameters response, ExtensionContext context) {
        return delegate.accepted(response, context);
    }

    @Override
    public String toString() {
        return "WebkitDeflateFrame[" + delegate + "]";
    }
}
