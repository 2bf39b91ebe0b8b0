/**
 * The zlib pieces shared by Weft's two DEFLATE extensions: making, counting and ending zlib
 * contexts, compressing a payload with a flush, and inflating a payload in bounded slices.
 *
 * <p>A module of its own, rather than a package one extension module exports to the other: each
 * extension jar registers its factory with {@code ServiceLoader}, so if deflate-frame required
 * permessage-deflate, putting deflate-frame on the path would also turn permessage-deflate on. This
 * module registers nothing, and exports its package only to the two extensions, so it is no API.
 */
module dev.weft.ext.zlib {
    exports dev.weft.ext.zlib to dev.weft.ext.permessagedeflate, dev.weft.ext.deflateframe;
}
