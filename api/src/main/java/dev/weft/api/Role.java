package dev.weft.api;

/** Which end of a connection this endpoint is; it decides masking and who closes TCP first. */
public enum Role {
    /** Opens the connection; masks every frame it sends. */
    CLIENT,
    /** Accepts the connection; never masks, and closes TCP first after a close handshake. */
    SERVER
}
