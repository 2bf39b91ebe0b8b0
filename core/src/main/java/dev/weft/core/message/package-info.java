/**
 * The message layer (RFC 6455 §5.4, §5.6, §8.1): streaming UTF-8 validation and encoding, and the
 * assembly of data frames into messages with the fragmentation rules and size limits.
 */
package dev.weft.core.message;
