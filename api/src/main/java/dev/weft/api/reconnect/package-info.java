/**
 * A client that comes back after its connection drops, on any transport:
 * {@link dev.weft.api.reconnect.Reconnect} is the policy (exponential backoff with full jitter, a cap,
 * an optional limit on attempts, the close codes and handshake failures that end it, a listener and
 * a hook to subscribe again), {@link dev.weft.api.reconnect.ReconnectingConnection} the one
 * connection the application keeps over a succession of real ones.
 */
package dev.weft.api.reconnect;
