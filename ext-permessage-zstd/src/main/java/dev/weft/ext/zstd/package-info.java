/**
 * permessage-zstd: an experimental WebSocket extension that compresses each data message with
 * Zstandard (RFC 8878), on zstd-jni. It is shaped like permessage-deflate (RFC 7692) with zstd in
 * place of DEFLATE.
 *
 * <p><strong>It is not a registered WebSocket extension.</strong> No browser or other library
 * speaks it. Use it between Weft endpoints, or with a client written to this page. It claims RSV1,
 * as permessage-deflate does, so a connection never agrees both. When a client offers both, a Weft
 * server walks the client's offers in order and agrees to the first one it can accept. The other
 * one is then declined, because its RSV1 is already claimed. A client that prefers zstd lists it
 * first: {@code Sec-WebSocket-Extensions: permessage-zstd, permessage-deflate}.
 *
 * <h2>Usage</h2>
 * With this module's jar (and zstd-jni's) on the class path or module path, {@code ServiceLoader}
 * finds {@link dev.weft.ext.zstd.PerMessageZstd}. Every connection made with
 * {@code WebSocketConfig.defaults()} (or a builder whose extensions are not set) then offers or
 * accepts it, in {@code ServiceLoader}'s order among the other installed extensions. To choose,
 * order or tune the extensions, list them yourself:
 *
 * <pre>{@code
 * WebSocketConfig config = WebSocketConfig.builder()
 *         .extensions(List.of(
 *                 PerMessageZstd.builder().compressionLevel(3).serverNoContextTakeover(true).build(),
 *                 new PerMessageDeflate()))           // a client offers both, zstd first
 *         .build();
 * }</pre>
 *
 * To turn it off with the jar present, leave it out of the list; {@code extensions(List.of())}
 * turns every extension off.
 *
 * <h2>Negotiation</h2>
 * The extension name is {@code permessage-zstd}. It has four parameters, each given at most once.
 * Parameter names are matched without regard to case.
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>parameter</th><th>value</th><th>in</th><th>meaning</th></tr>
 * <tr><td>{@code server_no_context_takeover}</td><td>none</td><td>offer, response</td>
 *     <td>the server compresses each message on its own (as in RFC 7692 §7.1.1.1)</td></tr>
 * <tr><td>{@code client_no_context_takeover}</td><td>none</td><td>offer, response</td>
 *     <td>the client compresses each message on its own (as in RFC 7692 §7.1.1.2)</td></tr>
 * <tr><td>{@code server_max_window_log}</td><td>10 to 27</td><td>offer, response</td>
 *     <td>the server compresses with a window of at most 2<sup>value</sup> bytes</td></tr>
 * <tr><td>{@code client_max_window_log}</td><td>10 to 27</td><td>response only</td>
 *     <td>the client compresses with a window of at most 2<sup>value</sup> bytes</td></tr>
 * </table>
 * A window log is a decimal number without leading zeroes. If the agreed parameters do not name
 * a direction's window limit, it is 2<sup>17</sup> bytes (128 KiB). The response holds the
 * agreed parameters.
 * <ul>
 * <li><b>Server.</b> It declines an offer with a parameter not listed here, a repeated parameter,
 *     a value where none belongs or none where one is needed, a window log out of range, or
 *     {@code client_max_window_log}. Otherwise it answers with these parameters:
 *     {@code server_no_context_takeover} if offered or configured;
 *     {@code client_no_context_takeover} if offered or configured; {@code server_max_window_log}
 *     only if offered, with a value no larger than the offer's; and {@code client_max_window_log}
 *     if it wants a limit other than the default.</li>
 * <li><b>Client.</b> It fails the connection (1002) on a response that is malformed in any of
 *     those ways. It also fails on a response that leaves out a {@code server_no_context_takeover}
 *     or {@code server_max_window_log} it offered, that has a {@code server_max_window_log} it did
 *     not offer, or whose {@code server_max_window_log} is larger than the value offered. It must
 *     accept any {@code client_max_window_log}.</li>
 * </ul>
 *
 * <h2>Messages on the wire</h2>
 * <ul>
 * <li>RSV1 is set on the first frame of a compressed message and on no other frame. RSV1 on a
 *     continuation frame or on a control frame fails the connection with 1002. Control frames are
 *     never compressed. A message with RSV1 clear is not compressed and does not affect the
 *     compression context.</li>
 * <li>The payloads of a compressed message's frames, joined, are Zstandard data (RFC 8878 §3.1.1).
 *     A frame may end anywhere inside a zstd block; each frame carries all the data the sender had
 *     for it (this implementation flushes at the end of every frame). No bytes are removed or
 *     added, unlike RFC 7692's tail.</li>
 * <li>Each direction is one sequence of standard Zstandard frames (magic number
 *     {@code 0xFD2FB528}), with no dictionary. A zstd frame starts at the start of a compressed
 *     message's data. It ends either at the end of that message's data or after the end of a later
 *     compressed message's data. No data may follow the end of a zstd frame inside the same
 *     message. Skippable frames are not allowed.</li>
 * <li><b>Without context takeover</b> in a direction, each compressed message is exactly one whole
 *     zstd frame. It starts from an empty history, so it can be decompressed at any point of the
 *     connection. The frame should declare its content size when the sender knows it. This
 *     implementation declares it when the message is compressed in one piece.</li>
 * <li><b>With context takeover</b>, the sender may keep one zstd frame open across messages. It ends
 *     each message with a flush ({@code ZSTD_e_flush}) and does not end the frame, so later
 *     messages can refer back to earlier ones. The sender may also end the frame at the end of any
 *     message and start a new one with the next. A frame that spans more than one message declares
 *     no content size. This implementation keeps one frame for the whole connection.</li>
 * <li>A frame that declares a content size declares at most the receiver's maximum message size,
 *     with or without context takeover; a receiver fails the connection with 1009 on a larger one
 *     before decoding any of it.</li>
 * <li>Every zstd frame's window (its {@code Window_Size}, or its content size when it is a single
 *     segment) is at most the direction's agreed limit. A receiver reads each frame header before
 *     decoding and fails the connection with 1002 if the window is larger.</li>
 * </ul>
 *
 * <h2>Limits and failures</h2>
 * The decompressed size of every message is checked against {@code maxMessageSize} while it is
 * decompressed, and a message over the limit fails with 1009 having decompressed one byte past it.
 * A frame's output is handed to the engine in slices of at most 64 KiB, so that the other
 * connections of its event loop are served between them. A frame header that declares a content size over the limit fails with 1009
 * before anything is decompressed, with or without context takeover: a sender that keeps a zstd
 * frame open across messages does not know its size and declares none. Data that is not well-formed zstd,
 * comes from a legacy or skippable frame, needs a dictionary, ends inside a frame header, or
 * (without context takeover) does not end its frame at the end of the message fails with 1007.
 *
 * <h2>Resources</h2>
 * Each end makes a native zstd context only when it first compresses or decompresses a message,
 * and frees it when the connection ends. The extension reports what it holds
 * ({@code Extension.heldBytes()}), for the engine to charge to the connection's memory budget: each
 * context at the size zstd's own estimates give for the agreed window and level, and its buffers.
 * At the default level and window (128 KiB) that is about 2 MiB for a compressor and 480 KiB for
 * a decompressor; these are upper estimates, as without context takeover zstd sizes both for the
 * message. A server that compresses without context takeover
 * ({@code server_no_context_takeover}) compresses a broadcast message once for every recipient that
 * agreed the same parameters.
 */
package dev.weft.ext.zstd;
