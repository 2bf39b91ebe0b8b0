package dev.weft.ext.permessagedeflate;

import dev.weft.api.extension.ExtensionParameters;

/**
 * The four parameters of one permessage-deflate offer or response (RFC 7692 §7.1), read from its
 * {@code Sec-WebSocket-Extensions} element and checked for the faults both ends refuse alike.
 * What each end then makes of the values (declining an offer, failing on a response) is
 * {@link PerMessageDeflate}'s business. Immutable.
 *
 * @param serverNoContextTakeover whether {@code server_no_context_takeover} is present
 * @param clientNoContextTakeover whether {@code client_no_context_takeover} is present
 * @param serverMaxWindowBits the value of {@code server_max_window_bits}, or {@link #ABSENT}
 * @param clientMaxWindowBits the value of {@code client_max_window_bits}, {@link #NO_VALUE} if it is
 *     present without one, or {@link #ABSENT}
 */
record DeflateParameters(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                         int serverMaxWindowBits, int clientMaxWindowBits) {

    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    /** The largest LZ77 window, 32 KiB; the only one the JDK's {@code Deflater} uses. */
    static final int MAX_WINDOW_BITS = 15;
    private static final int MIN_WINDOW_BITS = 8;

    /** A window-bits parameter that is not there. */
    static final int ABSENT = 0;
    /** {@code client_max_window_bits} present without a value, as an offer may send it. */
    static final int NO_VALUE = -1;

    /**
     * Reads an element's parameters.
     *
     * @throws IllegalArgumentException naming the fault, for each one RFC 7692 §7.1 lists for both
     *     ends: "an extension parameter not defined for use in an offer [or response]", "an
     *     extension parameter with an invalid value", "multiple extension parameters with the same
     *     name"
     */
    static DeflateParameters parse(ExtensionParameters element) {
        // "The negotiation offer [response] contains an extension parameter not defined for use in
        // an offer [response]", "[...] contains multiple extension parameters with the same name"
        // (RFC 7692 §7.1)
        element.requireOnly(SERVER_NO_CONTEXT_TAKEOVER, CLIENT_NO_CONTEXT_TAKEOVER, SERVER_MAX_WINDOW_BITS,
                CLIENT_MAX_WINDOW_BITS);
        // "This extension parameter has no value." (RFC 7692 §7.1.1.1, §7.1.1.2) "This parameter has
        // a decimal integer value without leading zeroes between 8 to 15, inclusive" (RFC 7692
        // §7.1.2.1; §7.1.2.2 says the same of client_max_window_bits)
        boolean serverNoContextTakeover = element.flag(SERVER_NO_CONTEXT_TAKEOVER);
        boolean clientNoContextTakeover = element.flag(CLIENT_NO_CONTEXT_TAKEOVER);
        int serverMaxWindowBits = element.integer(SERVER_MAX_WINDOW_BITS, MIN_WINDOW_BITS, MAX_WINDOW_BITS)
                .orElse(ABSENT);
        // "This parameter has no value or a decimal integer value [...]" (RFC 7692 §7.1.2.2), in an
        // offer; a response's must have one, which PerMessageDeflate checks.
        int clientMaxWindowBits = element.has(CLIENT_MAX_WINDOW_BITS) && element.value(CLIENT_MAX_WINDOW_BITS).isEmpty()
                ? NO_VALUE
                : element.integer(CLIENT_MAX_WINDOW_BITS, MIN_WINDOW_BITS, MAX_WINDOW_BITS).orElse(ABSENT);
        return new DeflateParameters(serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits,
                clientMaxWindowBits);
    }
}
