/**
 * The session: one per connection, the only stateful protocol object. It is fed bytes and time by a
 * transport, delivers events to the handler, and writes bytes to the transport's sink.
 */
package dev.weft.core.session;
