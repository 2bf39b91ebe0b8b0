package dev.weft.ext.permessagedeflate;

import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.extension.ExtensionParameters.Parameter;

import java.util.Locale;

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
        boolean serverNoContextTakeover = false;
        boolean clientNoContextTakeover = false;
        int serverMaxWindowBits = ABSENT;
        int clientMaxWindowBits = ABSENT;
        for (Parameter p : element.parameters()) {
            // "The negotiation offer [response] contains multiple extension parameters with the same
            // name." (RFC 7692 §7.1)
            if (element.count(p.name()) > 1) {
                throw new IllegalArgumentException("parameter " + p.name() + " is given more than once");
            }
            switch (p.name().toLowerCase(Locale.ROOT)) {
                case SERVER_NO_CONTEXT_TAKEOVER -> serverNoContextTakeover = withoutValue(p);
                case CLIENT_NO_CONTEXT_TAKEOVER -> clientNoContextTakeover = withoutValue(p);
                case SERVER_MAX_WINDOW_BITS -> serverMaxWindowBits = windowBits(p);
                // "This parameter has no value or a decimal integer value [...]" (RFC 7692 §7.1.2.2),
                // in an offer; a response's must have one, which PerMessageDeflate checks.
                case CLIENT_MAX_WINDOW_BITS -> clientMaxWindowBits = p.value() == null ? NO_VALUE : windowBits(p);
                default -> throw new IllegalArgumentException("parameter " + p.name()
                        + " is not defined for permessage-deflate");
            }
        }
        return new DeflateParameters(serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits,
                clientMaxWindowBits);
    }

    // "This extension parameter has no value." (RFC 7692 §7.1.1.1, §7.1.1.2)
    private static boolean withoutValue(Parameter p) {
        if (p.value() != null) {
            throw new IllegalArgumentException("parameter " + p.name() + " takes no value: " + p.value());
        }
        return true;
    }

    // "This parameter has a decimal integer value without leading zeroes between 8 to 15,
    // inclusive" (RFC 7692 §7.1.2.1; §7.1.2.2 says the same of client_max_window_bits)
    private static int windowBits(Parameter p) {
        String v = p.value();
        if (v == null) {
            throw new IllegalArgumentException("parameter " + p.name() + " needs a value from 8 to 15");
        }
        boolean decimalWithoutLeadingZero = v.length() <= 2 && v.charAt(0) >= '1' && v.charAt(0) <= '9'
                && (v.length() == 1 || (v.charAt(1) >= '0' && v.charAt(1) <= '9'));
        int bits = decimalWithoutLeadingZero ? Integer.parseInt(v) : -1;
        if (bits < MIN_WINDOW_BITS || bits > MAX_WINDOW_BITS) {
            throw new IllegalArgumentException("parameter " + p.name() + " must be a number from 8 to 15 without"
                    + " leading zeroes: " + v);
        }
        return bits;
    }
}
