package dev.weft.api;

import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;

import java.util.List;
import java.util.Optional;

/** Registered in this module's test META-INF/services, to prove discovery; negotiates nothing. */
public class TestExtensionFactory implements ExtensionFactory {

    /** For ServiceLoader. */
    public TestExtensionFactory() {
    }

    @Override
    public String name() {
        return "x-test";
    }

    @Override
    public List<ExtensionParameters> offers(ExtensionContext context) {
        return List.of();
    }

    @Override
    public Optional<Extension> accept(ExtensionParameters offer, ExtensionContext context) {
        return Optional.empty();
    }

    @Override
    public Extension accepted(ExtensionParameters response, ExtensionContext context) {
        throw new WebSocketException(CloseCodes.PROTOCOL_ERROR, "x-test is never offered");
    }
}
