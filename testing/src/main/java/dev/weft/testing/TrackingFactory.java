package dev.weft.testing;

import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A factory that keeps every extension it agrees, so that a check can look at them after the connection. */
final class TrackingFactory implements ExtensionFactory {

    private final ExtensionFactory factory;
    private final List<Extension> made = new ArrayList<>();

    TrackingFactory(ExtensionFactory factory) {
        this.factory = factory;
    }

    /** Every extension agreed so far. */
    synchronized List<Extension> made() {
        return List.copyOf(made);
    }

    @Override
    public String name() {
        return factory.name();
    }

    @Override
    public List<ExtensionParameters> offers(ExtensionContext context) {
        return factory.offers(context);
    }

    @Override
    public Optional<Extension> accept(ExtensionParameters offer, ExtensionContext context) {
        return factory.accept(offer, context).map(this::keep);
    }

    @Override
    public Extension accepted(ExtensionParameters response, ExtensionContext context) {
        return keep(factory.accepted(response, context));
    }

    private synchronized Extension keep(Extension agreed) {
        made.add(agreed);
        return agreed;
    }
}
