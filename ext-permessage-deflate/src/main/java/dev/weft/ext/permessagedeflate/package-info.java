/**
 * The permessage-deflate WebSocket extension (RFC 7692), which compresses each data message with
 * DEFLATE.
 *
 * <h2>Usage</h2>
 * With this module's jar on the class path or module path, {@code ServiceLoader} finds
 * {@link dev.weft.ext.permessagedeflate.PerMessageDeflate} and every connection made with
 * {@code WebSocketConfig.defaults()} (or a builder whose extensions are not set) offers or accepts
 * it with the default settings. To tune it, list it yourself:
 *
 * <pre>{@code
 * WebSocketConfig config = WebSocketConfig.builder()
 *         .extensions(List.of(PerMessageDeflate.builder()
 *                 .compressionLevel(1)
 *                 .threshold(256)
 *                 .serverNoContextTakeover(true)
 *                 .build()))
 *         .build();
 * }</pre>
 *
 * To turn compression off with the jar present, give no extensions:
 * {@code WebSocketConfig.builder().extensions(List.of())}.
 */
package dev.weft.ext.permessagedeflate;
