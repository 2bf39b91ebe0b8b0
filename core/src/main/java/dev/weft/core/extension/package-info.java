/**
 * Extensions (RFC 6455 §9): the {@code Sec-WebSocket-Extensions} header grammar, negotiation for
 * both roles, and the chain that runs agreed extensions over frames.
 */
package dev.weft.core.extension;
