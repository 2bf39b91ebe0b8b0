package dev.weft.ext.deflateframe;

import dev.weft.api.extension.ExtensionParameters;

/**
 * The two parameters of one deflate-frame offer or response, read from its
 * {@code Sec-WebSocket-Extensions} element and checked for the faults both ends refuse alike.
 * Unlike permessage-deflate's, these parameters have no direction in their names: each one is a
 * request from the end that sends the header to the end that receives it, about how the receiver
 * compresses. What each end then makes of them is {@link DeflateFrame}'s business. Immutable.
 *
 * @param noContextTakeover whether {@code no_context_takeover} is present: the receiver of the
 *     header is asked to compress each frame without reference to the frames before
 * @param maxWindowBits the value of {@code max_window_bits}, or {@link #ABSENT}: the receiver of the
 *     header is asked to compress with an LZ77 window of at most 2 to this power bytes
 */
record FrameParameters(boolean noContextTakeover, int maxWindowBits) {

    static final String NO_CONTEXT_TAKEOVER = "no_context_takeover";
    static final String MAX_WINDOW_BITS = "max_window_bits";

    /** The largest LZ77 window, 32 KiB: the only one the JDK's {@code Deflater} compresses with. */
    static final int LARGEST_WINDOW_BITS = 15;
    private static final int SMALLEST_WINDOW_BITS = 8;

    /** {@code max_window_bits} is not there. */
    static final int ABSENT = 0;

    /**
     * Reads an element's parameters.
     *
     * @throws IllegalArgumentException naming the fault: a parameter the draft does not define, a
     *     parameter given twice, {@code no_context_takeover} with a value, or a
     *     {@code max_window_bits} that is not a number from 8 to 15 without leading zeroes
     */
    static FrameParameters parse(ExtensionParameters element) {
        element.requireOnly(NO_CONTEXT_TAKEOVER, MAX_WINDOW_BITS);
        return new FrameParameters(element.flag(NO_CONTEXT_TAKEOVER),
                element.integer(MAX_WINDOW_BITS, SMALLEST_WINDOW_BITS, LARGEST_WINDOW_BITS).orElse(ABSENT));
    }

    /** The window the reader of these parameters is to compress with: {@code max_window_bits}, or 15. */
    int windowBits() {
        return maxWindowBits == ABSENT ? LARGEST_WINDOW_BITS : maxWindowBits;
    }
}
