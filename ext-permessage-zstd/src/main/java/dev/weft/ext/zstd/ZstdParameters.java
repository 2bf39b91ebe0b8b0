package dev.weft.ext.zstd;

import dev.weft.api.extension.ExtensionParameters;

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
        element.requireOnly(SERVER_NO_CONTEXT_TAKEOVER, CLIENT_NO_CONTEXT_TAKEOVER, SERVER_MAX_WINDOW_LOG,
                CLIENT_MAX_WINDOW_LOG);
        return new ZstdParameters(element.flag(SERVER_NO_CONTEXT_TAKEOVER), element.flag(CLIENT_NO_CONTEXT_TAKEOVER),
                element.integer(SERVER_MAX_WINDOW_LOG, MIN_WINDOW_LOG, MAX_WINDOW_LOG).orElse(ABSENT),
                element.integer(CLIENT_MAX_WINDOW_LOG, MIN_WINDOW_LOG, MAX_WINDOW_LOG).orElse(ABSENT));
    }
}
