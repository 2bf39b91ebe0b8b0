package dev.weft.core.extension;

import dev.weft.api.Frame;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.handshake.HandshakeException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Extension negotiation for both ends of the opening handshake (RFC 6455 §9.1): what a client
 * offers, what a server agrees to, and the client's check of the server's answer.
 *
 * <p>Names are matched exactly, case included. RFC 6455 §11.4 makes extension names registered
 * tokens and says nothing of case, so a name means what it was registered as: a client that offers
 * {@code Permessage-Deflate} has not offered {@code permessage-deflate}. When two factories share a
 * name, the first one in the list negotiates it.
 *
 * <p>Weft agrees at most one extension per name, and never two that claim the same RSV bit (the
 * {@link Extension} contract promises it): a receiver could not tell which extension a set bit
 * belongs to.
 *
 * <p>Stateless and thread-safe; the factories must be thread-safe, as {@link ExtensionFactory} asks.
 */
public final class ExtensionNegotiator {

    private static final System.Logger LOG = System.getLogger(ExtensionNegotiator.class.getName());

    private ExtensionNegotiator() {
    }

    /**
     * Client side: every factory's offers, in factory order (a factory may offer its extension
     * several times, in its own order of preference).
     */
    public static List<ExtensionParameters> offers(List<ExtensionFactory> factories, ExtensionContext ctx) {
        List<ExtensionParameters> out = new ArrayList<>();
        for (ExtensionFactory f : factories) {
            out.addAll(f.offers(ctx));
        }
        return List.copyOf(out);
    }

    /**
     * Server side: agrees on extensions from the client's offers. The offers are walked in the
     * client's order, which "represent[s] a preference [...] with the first options listed being
     * most preferable" (RFC 6455 §9.1). For each offer, the factory with that name may accept it;
     * an offer is passed over when no factory has its name, when an extension of that name is
     * already agreed, when the factory declines or throws (a factory's bug must not break the
     * handshake: it is logged), or when the extension claims an RSV bit an agreed one already
     * claims (that extension is closed).
     *
     * @return the agreed extensions, in the order of the client's offers; the caller owns them
     */
    public static List<Extension> accept(List<ExtensionParameters> offers, List<ExtensionFactory> factories,
                                         ExtensionContext ctx) {
        List<Extension> agreed = new ArrayList<>();
        Set<String> agreedNames = new HashSet<>();
        int claimedRsv = 0;
        for (ExtensionParameters offer : offers) {
            ExtensionFactory factory = factoryNamed(factories, offer.name());
            if (factory == null || agreedNames.contains(offer.name())) {
                continue;
            }
            Extension extension = tryAccept(factory, offer, ctx);
            if (extension == null) {
                continue;
            }
            if ((extension.rsv() & claimedRsv) != 0) {
                extension.close();
                continue;
            }
            claimedRsv |= extension.rsv();
            agreedNames.add(offer.name());
            agreed.add(extension);
        }
        return List.copyOf(agreed);
    }

    /**
     * Client side: checks the server's {@code Sec-WebSocket-Extensions} elements against the offers
     * and makes the agreed extensions with each factory's {@link ExtensionFactory#accepted}.
     *
     * @param response the server's elements, in its order
     * @param factories the factories that made the client's offers: a name none of them has was not
     *     offered
     * @return the agreed extensions, in the server's order; the caller owns them
     * @throws HandshakeException (status 0) if the server named an extension that was not offered
     *     or named one twice, if two extensions claim the same RSV bit, or if a factory refused the
     *     server's parameters; every extension made so far is closed first
     */
    public static List<Extension> accepted(List<ExtensionParameters> response, List<ExtensionFactory> factories,
                                           ExtensionContext ctx) {
        List<Extension> agreed = new ArrayList<>();
        try {
            int claimedRsv = 0;
            Set<String> names = new HashSet<>();
            for (ExtensionParameters element : response) {
                ExtensionFactory factory = factoryNamed(factories, element.name());
                // "If the response includes a |Sec-WebSocket-Extensions| header field and this
                // header field indicates the use of an extension that was not present in the
                // client's handshake [...], the client MUST _Fail the WebSocket Connection_."
                // (RFC 6455 §4.1)
                if (factory == null) {
                    throw new HandshakeException(0, "the server agreed to extension " + element.name()
                            + ", which was not offered");
                }
                if (!names.add(element.name())) {
                    throw new HandshakeException(0, "the server listed extension " + element.name() + " twice");
                }
                Extension extension = madeFromResponse(factory, element, ctx);
                agreed.add(extension);
                if ((extension.rsv() & claimedRsv) != 0) {
                    throw new HandshakeException(0, "extension " + element.name() + " claims reserved bits "
                            + rsvNames(extension.rsv() & claimedRsv) + " that another agreed extension claims");
                }
                claimedRsv |= extension.rsv();
            }
            return List.copyOf(agreed);
        } catch (RuntimeException e) {
            closeAll(agreed);
            throw e;
        }
    }

    /** Closes each extension, going on past failures so that none is left open. */
    public static void closeAll(List<Extension> extensions) {
        for (Extension e : extensions) {
            try {
                e.close();
            } catch (RuntimeException failure) {
                LOG.log(System.Logger.Level.WARNING, "closing extension " + e + " failed", failure);
            }
        }
    }

    private static Extension tryAccept(ExtensionFactory factory, ExtensionParameters offer, ExtensionContext ctx) {
        try {
            return factory.accept(offer, ctx).orElse(null);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "extension factory " + factory.name() + " failed on offer "
                    + offer + "; the offer is declined", e);
            return null;
        }
    }

    private static Extension madeFromResponse(ExtensionFactory factory, ExtensionParameters element,
                                              ExtensionContext ctx) {
        try {
            return factory.accepted(element, ctx);
        } catch (RuntimeException e) {
            HandshakeException refused = new HandshakeException(0, "the server's parameters for extension "
                    + element.name() + " were refused: " + e.getMessage());
            refused.initCause(e);
            throw refused;
        }
    }

    private static ExtensionFactory factoryNamed(List<ExtensionFactory> factories, String name) {
        for (ExtensionFactory f : factories) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    private static String rsvNames(int rsv) {
        List<String> names = new ArrayList<>(3);
        if ((rsv & Frame.RSV1) != 0) {
            names.add("RSV1");
        }
        if ((rsv & Frame.RSV2) != 0) {
            names.add("RSV2");
        }
        if ((rsv & Frame.RSV3) != 0) {
            names.add("RSV3");
        }
        return String.join(", ", names);
    }
}
