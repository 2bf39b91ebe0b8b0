/**
 * The zlib pieces shared by Weft's two DEFLATE extensions: making, counting and ending zlib
 * contexts, lending them from a bounded pool, compressing a payload with a flush, and inflating a
 * payload in bounded slices.
 *
 * <p>A multi-release jar: on JDK 22 and later its {@code META-INF/versions/22} classes compress
 * with windows below 15 bits on libz, through the Foreign Function &amp; Memory API. Grant it
 * native access ({@code --enable-native-access=dev.weft.ext.zlib} on the module path,
 * {@code ALL-UNNAMED} on the class path, or {@code Enable-Native-Access: ALL-UNNAMED} in an
 * executable jar's manifest), or the JDK warns on first use.
 *
 * <p>A module of its own, rather than a package one extension module exports to the other: each
 * extension jar registers its factory with {@code ServiceLoader}, so if deflate-frame required
 * permessage-deflate, putting deflate-frame on the path would also turn permessage-deflate on. This
 * module registers nothing, and exports its package only to the two extensions, so it is no API.
 */
module dev.weft.ext.zlib {
    exports dev.weft.ext.zlib to dev.weft.ext.permessagedeflate, dev.weft.ext.deflateframe;
}
