/**
 * The extension SPI (RFC 6455 §9): what an extension module implements, against this package
 * alone.
 *
 * <ul>
 * <li>{@link dev.weft.api.extension.ExtensionFactory}: negotiation, shared by every connection and
 *     found with {@code ServiceLoader}. A client's offers, a server's answer to one offer, a client's
 *     check of the server's answer; each agreement makes an {@link dev.weft.api.extension.Extension}.
 *     Offers and answers are {@link dev.weft.api.extension.ExtensionParameters}, read with its
 *     checked accessors.</li>
 * <li>{@link dev.weft.api.extension.Extension}: what was agreed for one connection, its reserved
 *     bits, and the two halves of its data path, made together and closed together when the
 *     connection ends.</li>
 * <li>{@link dev.weft.api.extension.ExtensionEncoder}: this end's frames on their way out. A
 *     broadcast can ask an extension for a fresh one, with no decoder, to encode a message once for
 *     many connections.</li>
 * <li>{@link dev.weft.api.extension.ExtensionDecoder}: the peer's frames on their way in, with a
 *     large output handed back in slices so that one connection cannot hold its event loop.</li>
 * </ul>
 *
 * docs/extensions.md walks through writing one.
 */
package dev.weft.api.extension;
