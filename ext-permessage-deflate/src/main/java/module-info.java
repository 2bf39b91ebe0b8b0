/**
 * The permessage-deflate WebSocket extension (RFC 7692), registered with {@code ServiceLoader}.
 * See {@link dev.weft.ext.permessagedeflate} for how it is enabled and tuned.
 */
module dev.weft.ext.permessagedeflate {
    requires dev.weft.api;
    // The zlib pieces it shares with deflate-frame; not part of this module's API.
    requires dev.weft.ext.zlib;

    exports dev.weft.ext.permessagedeflate;

    provides dev.weft.api.extension.ExtensionFactory with dev.weft.ext.permessagedeflate.PerMessageDeflate;
}
