/**
 * Per-frame DEFLATE compression, the WebSocket extension older clients know as {@code deflate-frame}
 * or {@code x-webkit-deflate-frame} (draft-tyoshino-hybi-websocket-perframe-deflate, which became
 * RFC 7692's permessage-deflate before it was published).
 *
 * <h2>When to use it</h2>
 * Only to compress for peers that know no better: Safari and Chrome builds of 2012–2013, and
 * libraries that still offer the old names. permessage-deflate ({@code weft-ext-permessage-deflate})
 * is the standard, is what current browsers and libraries offer, and compresses better, since it
 * compresses whole messages; prefer it wherever the peer has it.
 *
 * <h2>What it does</h2>
 * Each data frame's payload is compressed on its own, with RSV1 set on it, whatever message it
 * belongs to: a continuation frame carries RSV1 too, and a message may mix compressed and
 * uncompressed frames. The compressor keeps its window across frames unless an end asks otherwise
 * with {@code no_context_takeover}. See {@link dev.weft.ext.deflateframe.DeflateFrame} for the
 * parameters and settings.
 *
 * <h2>Usage</h2>
 * With this module's jar on the class path or module path, {@code ServiceLoader} finds a factory for
 * each name, and a server made with {@code WebSocketConfig.defaults()} accepts either from a client
 * that offers it; a default client offers neither. To offer it from a client, or to tune it, list it
 * yourself, after permessage-deflate so that a server that has both takes the standard one:
 *
 * <pre>{@code
 * List<ExtensionFactory> extensions = new ArrayList<>();
 * extensions.add(new PerMessageDeflate());
 * extensions.addAll(DeflateFrame.builder().threshold(256).buildForBothNames());
 * WebSocketConfig config = WebSocketConfig.builder().extensions(extensions).build();
 * }</pre>
 */
package dev.weft.ext.deflateframe;
