/**
 * The frame layer (RFC 6455 §5): a resumable frame decoder that enforces the frame-level rules, a
 * frame encoder, and payload masking. Nothing here knows about messages or connections.
 */
package dev.weft.core.frame;
