/**
 * The opening handshake (RFC 6455 §4): an incremental HTTP/1.1 head parser, server-side validation
 * and response, client-side request and response validation, and one sans-IO driver per role
 * ({@link dev.weft.core.handshake.ServerOpening}, {@link dev.weft.core.handshake.ClientOpening})
 * that every transport runs.
 */
package dev.weft.core.handshake;
