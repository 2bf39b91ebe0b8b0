/**
 * The per-frame DEFLATE WebSocket extension of older clients, under both of its names, registered
 * with {@code ServiceLoader}. See {@link dev.weft.ext.deflateframe} for when to use it.
 */
module dev.weft.ext.deflateframe {
    // Transitive: the public factories implement and take the api's extension types.
    requires transitive dev.weft.api;
    // The zlib pieces it shares with permessage-deflate; not part of this module's API.
    requires dev.weft.ext.zlib;

    exports dev.weft.ext.deflateframe;

    provides dev.weft.api.extension.ExtensionFactory with
            dev.weft.ext.deflateframe.DeflateFrame,
            dev.weft.ext.deflateframe.WebkitDeflateFrame;
}
