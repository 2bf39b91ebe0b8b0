/**
 * permessage-zstd, an experimental WebSocket extension that compresses each data message with
 * Zstandard, registered with {@code ServiceLoader}. See {@link dev.weft.ext.zstd} for the wire
 * format, the parameters and how it is enabled.
 */
module dev.weft.ext.zstd {
    requires transitive dev.weft.api;
    // zstd-jni ships its own module-info (not just an Automatic-Module-Name) under this name.
    requires com.github.luben.zstd_jni;

    exports dev.weft.ext.zstd;

    provides dev.weft.api.extension.ExtensionFactory with dev.weft.ext.zstd.PerMessageZstd;
}
