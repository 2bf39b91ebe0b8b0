/**
 * The log of what peers do wrong: refused handshakes and connections closed for a peer's fault, at
 * INFO on the {@code dev.weft.peer} logger, rate-limited so that a flood of bad peers cannot flood
 * the log. Every layer that refuses or closes writes here.
 */
package dev.weft.core.log;
