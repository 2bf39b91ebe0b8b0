package dev.weft.testing;

import dev.weft.api.Frame;
import dev.weft.api.Role;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.extension.ExtensionHeader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The negotiation part of the {@link ExtensionContract}: the factory asked directly, as the handshake asks it. */
final class Negotiation {

    private static final int LIMIT = 16 * 1024 * 1024;
    static final ExtensionContext CLIENT = new ExtensionContext(Role.CLIENT, LIMIT, LIMIT);
    static final ExtensionContext SERVER = new ExtensionContext(Role.SERVER, LIMIT, LIMIT);

    private final ExtensionFactory factory;

    Negotiation(ExtensionFactory factory) {
        this.factory = factory;
    }

    List<Check> checks(Map<String, String> accepted, List<String> declined, List<String> acceptedAnswers,
                       List<String> refusedAnswers) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("negotiation: the client's offers name " + factory.name()
                + " and its own server accepts one of them", this::ownOffersAgree));
        accepted.forEach((offer, answer) -> checks.add(new Check("negotiation: the server accepts " + quote(offer)
                + (answer == null ? "" : " answering " + quote(answer)), () -> accepts(offer, answer))));
        for (String offer : declined) {
            checks.add(new Check("negotiation: the server declines " + quote(offer), () -> declines(offer)));
        }
        for (String answer : acceptedAnswers) {
            checks.add(new Check("negotiation: the client takes the answer " + quote(answer),
                    () -> factory.accepted(element(answer), CLIENT).close()));
        }
        for (String answer : refusedAnswers) {
            checks.add(new Check("negotiation: the client refuses the answer " + quote(answer), () -> refuses(answer)));
        }
        return checks;
    }

    private void ownOffersAgree() {
        List<ExtensionParameters> offers = factory.offers(CLIENT);
        if (offers.isEmpty()) {
            throw new AssertionError(factory.name() + " offers nothing");
        }
        for (ExtensionParameters offer : offers) {
            if (!offer.name().equals(factory.name())) {
                throw new AssertionError("an offer of " + factory.name() + " is named " + offer.name());
            }
        }
        try (Agreement agreed = Agreement.of(factory, factory)) {
            claimsOnlyReservedBits(agreed.server());
            claimsOnlyReservedBits(agreed.client());
        }
    }

    /** The two halves of an extension agreed by a client and a server, which closing closes. */
    record Agreement(Extension client, Extension server) implements AutoCloseable {

        /**
         * What a client running {@code client} and a server running {@code server} agree on: the
         * client's first offer the server accepts, and the client's half made from the server's answer.
         */
        static Agreement of(ExtensionFactory client, ExtensionFactory server) {
            List<ExtensionParameters> offers = client.offers(CLIENT);
            for (ExtensionParameters offer : offers) {
                Optional<Extension> accepted = server.accept(offer, SERVER);
                if (accepted.isPresent()) {
                    try {
                        return new Agreement(client.accepted(accepted.get().parameters(), CLIENT), accepted.get());
                    } catch (RuntimeException | Error e) {
                        accepted.get().close();
                        throw e;
                    }
                }
            }
            throw new AssertionError("the server declines every offer of the client: " + offers);
        }

        @Override
        public void close() {
            try (Extension s = server; Extension c = client) {
                // both closed, the client's first
            }
        }
    }

    private void accepts(String offer, String answer) {
        Extension agreed = factory.accept(element(offer), SERVER)
                .orElseThrow(() -> new AssertionError("declined " + offer));
        try (agreed) {
            if (answer != null && !agreed.parameters().toString().equals(element(answer).toString())) {
                throw new AssertionError("answered " + quote(agreed.parameters().toString())
                        + " instead of " + quote(answer));
            }
        }
    }

    private void declines(String offer) {
        Optional<Extension> agreed = factory.accept(element(offer), SERVER);
        agreed.ifPresent(Extension::close);
        if (agreed.isPresent()) {
            throw new AssertionError("accepted " + quote(offer) + " answering " + quote(agreed.get().parameters().toString()));
        }
    }

    private void refuses(String answer) {
        Extension agreed;
        try {
            agreed = factory.accepted(element(answer), CLIENT);
        } catch (WebSocketException expected) {
            return;
        }
        agreed.close();
        throw new AssertionError("took " + quote(answer) + ": a client must fail the connection on it");
    }

    static void claimsOnlyReservedBits(Extension agreed) {
        if ((agreed.rsv() & ~Frame.RSV_MASK) != 0) {
            throw new AssertionError(agreed.parameters().name() + " claims bits other than RSV1-3: 0x"
                    + Integer.toHexString(agreed.rsv()));
        }
    }

    /** One element of a {@code Sec-WebSocket-Extensions} header. */
    static ExtensionParameters element(String header) {
        List<ExtensionParameters> elements = ExtensionHeader.parse(List.of(header));
        if (elements.size() != 1) {
            throw new IllegalArgumentException("not one extension element: " + header);
        }
        return elements.get(0);
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
