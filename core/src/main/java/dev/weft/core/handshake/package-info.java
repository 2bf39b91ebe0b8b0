/**
 * The opening handshake (RFC 6455 §4): an incremental HTTP/1.1 head parser, server-side validation
 * and response, client-side request and response validation.
 */
package dev.weft.core.handshake;
