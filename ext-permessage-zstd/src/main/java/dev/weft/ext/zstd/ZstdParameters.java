package dev.weft.ext.zstd;

import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.extension.ExtensionParameters.Parameter;

import java.util.Locale;

/**
 * The four parameters of one permessage-zstd offer or response, read from its
 * {@code Sec-WebSocket-Extensions} element and checked for the faults both ends refuse alike (see
 * the package documentation for what each means). What each end then makes of the values
 * (declining an offer, failing on a response) is {@link PerMessageZstd}'s business. Immutable.
 *
 * @param serverNoContextTakeover whether {@code server_no_context_takeover} is present
 * @param clientNoContextTakeover whether {@code client_no_context_takeover} is present
 * @param serverMaxWindowLog the value of {@code server_max_window_log}, or {@link #ABSENT}
 * @param clientMaxWindowLog the value of {@code client_max_window_log}, or {@link #ABSENT}
 */
record ZstdParameters(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                      int serverMaxWindowLog, int clientMaxWindowLog) {

    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_LOG = "server_max_window_log";
    static final String CLIENT_MAX_WINDOW_LOG = "client_max_window_log";

    /** The smallest window log a parameter may give: zstd's own minimum, a 1 KiB window. */
    static final int MIN_WINDOW_LOG = 10;
    /** The largest window log a parameter may give: 128 MiB, the most zstd decodes by default. */
    static final int MAX_WINDOW_LOG = 27;
    /** The window log that applies to a direction whose limit the agreement does not name: 128 KiB. */
    static final int DEFAULT_WINDOW_LOG = 17;

    /** A window-log parameter that is not there. */
    static final int ABSENT = 0;

    /**
     * Reads an element's parameters.
     *
     * @throws IllegalArgumentException naming the fault: a parameter this extension does not
     *     define, a value where none belongs or none where one does, a window log that is not a
     *     decimal from 10 to 27 without leading zeroes, or a parameter given more than once
     */
    static ZstdParameters parse(ExtensionParameters element) {
        boolean serverNoContextTakeover = false;
        boolean clientNoContextTakeover = false;
        int serverMaxWindowLog = ABSENT;
        int clientMaxWindowLog = ABSENT;
        for (Parameter p : element.parameters()) {
            if (element.count(p.name()) > 1) {
                throw new IllegalArgumentException("parameter " + p.name() + " is given more than once");
            }
            switch (p.name().toLowerCase(Locale.ROOT)) {
                case SERVER_NO_CONTEXT_TAKEOVER -> serverNoContextTakeover = withoutValue(p);
                case CLIENT_NO_CONTEXT_TAKEOVER -> clientNoContextTakeover = withoutValue(p);
                case SERVER_MAX_WINDOW_LOG -> serverMaxWindowLog = windowLog(p);
                case CLIENT_MAX_WINDOW_LOG -> clientMaxWindowLog = windowLog(p);
                default -> throw new IllegalArgumentException("parameter " + p.name()
                        + " is not defined for permessage-zstd");
            }
        }
        return new ZstdParameters(serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowLog,
                clientMaxWindowLog);
    }

    private static boolean withoutValue(Parameter p) {
        if (p.value() != null) {
            throw new IllegalArgumentException("parameter " + p.name() + " takes no value: " + p.value());
        }
        return true;
    }

    private static int windowLog(Parameter p) {
        String v = p.value();
        if (v == null) {
            throw new IllegalArgumentException("parameter " + p.name() + " needs a value from " + MIN_WINDOW_LOG
                    + " to " + MAX_WINDOW_LOG);
        }
        boolean twoDigitsWithoutLeadingZero = v.length() == 2 && v.charAt(0) >= '1' && v.charAt(0) <= '9'
                && v.charAt(1) >= '0' && v.charAt(1) <= '9';
        int log = twoDigitsWithoutLeadingZero ? Integer.parseInt(v) : -1;
        if (log < MIN_WINDOW_LOG || log > MAX_WINDOW_LOG) {
            throw new IllegalArgumentException("parameter " + p.name() + " must be a number from " + MIN_WINDOW_LOG
                    + " to " + MAX_WINDOW_LOG + " without leading zeroes: " + v);
        }
        return log;
    }
}
