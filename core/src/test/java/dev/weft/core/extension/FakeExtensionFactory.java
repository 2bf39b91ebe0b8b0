package dev.weft.core.extension;

import dev.weft.api.CloseCodes;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A test factory for extension {@code name}, whose extensions claim {@code rsv}. By default it offers
 * its bare name, accepts every offer by agreeing to exactly what was offered, and takes every
 * response; each behaviour can be changed. It records every extension it makes.
 */
public final class FakeExtensionFactory implements ExtensionFactory {

    private final String name;
    private final int rsv;
    private List<ExtensionParameters> offers;
    private Predicate<ExtensionParameters> acceptable = offer -> true;
    private boolean throwing;
    private boolean refusingResponses;
    private final List<FakeExtension> made = new ArrayList<>();

    public FakeExtensionFactory(String name, int rsv) {
        this.name = name;
        this.rsv = rsv;
        this.offers = List.of(ExtensionParameters.of(name));
    }

    /** Offers these elements instead of the bare name. */
    public FakeExtensionFactory offering(ExtensionParameters... offers) {
        this.offers = List.of(offers);
        return this;
    }

    /** Server side: declines offers that do not match. */
    public FakeExtensionFactory acceptingOnly(Predicate<ExtensionParameters> acceptable) {
        this.acceptable = acceptable;
        return this;
    }

    /** Server side: throws from {@link #accept}, as a buggy factory would. */
    public FakeExtensionFactory throwing() {
        this.throwing = true;
        return this;
    }

    /** Client side: refuses every response from {@link #accepted}. */
    public FakeExtensionFactory refusingResponses() {
        this.refusingResponses = true;
        return this;
    }

    /** Every extension made so far, in order. */
    public List<FakeExtension> made() {
        return made;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ExtensionParameters> offers(ExtensionContext context) {
        return offers;
    }

    @Override
    public Optional<Extension> accept(ExtensionParameters offer, ExtensionContext context) {
        if (throwing) {
            throw new IllegalStateException("factory " + name + " is broken");
        }
        return acceptable.test(offer) ? Optional.of(make(offer)) : Optional.empty();
    }

    @Override
    public Extension accepted(ExtensionParameters response, ExtensionContext context) {
        if (refusingResponses) {
            throw new WebSocketException(CloseCodes.PROTOCOL_ERROR, "unsupported parameters " + response);
        }
        return make(response);
    }

    private FakeExtension make(ExtensionParameters parameters) {
        FakeExtension e = new FakeExtension(parameters, rsv);
        made.add(e);
        return e;
    }
}
