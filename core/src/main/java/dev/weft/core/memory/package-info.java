/**
 * An in-memory transport with a manual clock: connects two sessions, or a session and a scripted
 * peer, through byte pipes, so handlers and protocol corner cases can be tested without sockets.
 */
package dev.weft.core.memory;
