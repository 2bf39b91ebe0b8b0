package dev.weft.api.extension;

import dev.weft.api.Role;

/**
 * What an extension needs to know about the connection it is negotiated for.
 *
 * @param role which end this endpoint is
 * @param maxFrameSize the largest frame payload accepted, in bytes
 * @param maxMessageSize the largest message accepted, in bytes; a decoding extension (such as a
 *     decompressor) must enforce it on the size it produces, while producing it, by throwing a
 *     {@link dev.weft.api.WebSocketException} with {@link dev.weft.api.CloseCodes#MESSAGE_TOO_BIG}
 */
public record ExtensionContext(Role role, int maxFrameSize, int maxMessageSize) {
}
