package dev.weft.api.extension;

import dev.weft.api.WebSocketException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Negotiates one extension in the opening handshake, and makes its per-connection
 * {@link Extension}. This is the service interface: an extension module registers an
 * implementation with {@code java.util.ServiceLoader} ({@code provides ... with ...} in its
 * {@code module-info}, and a {@code META-INF/services/dev.weft.api.extension.ExtensionFactory}
 * file for the class path), and putting its jar on the path makes it available.
 *
 * <p>Implementations are shared by every connection and must be thread-safe; a public no-argument
 * constructor is needed for {@code ServiceLoader}. {@link #name()} must be cheap: discovery reads
 * it without negotiating anything.
 */
public interface ExtensionFactory {

    /** The extension name as registered, such as {@code permessage-deflate}. */
    String name();

    /**
     * Client side: the offers to send, in order of preference (RFC 6455 §9.1 lets a client offer
     * the same extension several times with different parameters). An empty list offers nothing.
     */
    List<ExtensionParameters> offers(ExtensionContext context);

    /**
     * Server side: answers one offer from a client.
     *
     * @param offer one element of the client's {@code Sec-WebSocket-Extensions}, named {@link #name()}
     * @return the agreed extension, whose {@link Extension#parameters()} go into the response; or
     *     empty to decline this offer (the engine then tries the client's next offer). An offer
     *     with malformed or unsupported parameters is declined, not failed.
     */
    Optional<Extension> accept(ExtensionParameters offer, ExtensionContext context);

    /**
     * Client side: the server agreed to this extension with these parameters.
     *
     * @return the agreed extension
     * @throws WebSocketException if the response is not one the client's offers allow (RFC 6455
     *     §9.1: the client must then fail the connection)
     */
    Extension accepted(ExtensionParameters response, ExtensionContext context);

    /**
     * The factories registered with {@link ServiceLoader} and visible from the context class loader
     * (or from this module's layer on the module path), in discovery order.
     */
    static List<ExtensionFactory> installed() {
        List<ExtensionFactory> found = new ArrayList<>();
        for (ExtensionFactory f : ServiceLoader.load(ExtensionFactory.class)) {
            found.add(f);
        }
        return List.copyOf(found);
    }
}
