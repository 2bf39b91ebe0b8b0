package dev.weft.api;

/**
 * Close status codes (RFC 6455 §7.4 and the IANA "WebSocket Close Code Number Registry").
 *
 * <p>Some codes are defined but may never appear in a close frame: 1005, 1006 and 1015 only report
 * what happened locally. {@link #isValidOnWire(int)} says which codes a close frame may carry.
 */
public final class CloseCodes {

    /** 1000: the purpose of the connection has been fulfilled. */
    public static final int NORMAL_CLOSURE = 1000;
    /** 1001: the endpoint is going away (server shutdown, page navigation). */
    public static final int GOING_AWAY = 1001;
    /** 1002: the peer broke the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: the endpoint cannot accept this kind of data (say, binary on a text-only endpoint). */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1005: reported locally when a close frame carried no status code; never sent. */
    public static final int NO_STATUS_RECEIVED = 1005;
    /** 1006: reported locally when the connection ended without a close frame; never sent. */
    public static final int ABNORMAL_CLOSURE = 1006;
    /** 1007: a message's data was not consistent with its type (invalid UTF-8 in a text message). */
    public static final int INVALID_PAYLOAD = 1007;
    /** 1008: a message violated the endpoint's policy. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a frame or message was too big to process. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1010: (client) the server did not negotiate an extension the client requires. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** 1011: the server met an unexpected condition. */
    public static final int INTERNAL_ERROR = 1011;
    /** 1012: the service is restarting (IANA registry). */
    public static final int SERVICE_RESTART = 1012;
    /** 1013: try again later (IANA registry). */
    public static final int TRY_AGAIN_LATER = 1013;
    /** 1014: a gateway or proxy received an invalid response (IANA registry). */
    public static final int BAD_GATEWAY = 1014;
    /** 1015: reported locally when the TLS handshake failed; never sent. */
    public static final int TLS_HANDSHAKE = 1015;

    private CloseCodes() {
    }

    /**
     * Whether {@code code} may be carried by a close frame: 1000–1003 and 1007–1014 (defined by RFC
     * 6455 or registered with IANA) and 3000–4999 (libraries, frameworks and applications). Every
     * other value, including the report-only 1005, 1006 and 1015, is a protocol error on the wire.
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }

    /** A short name for a code, for logs: {@code "1000 NORMAL_CLOSURE"}, {@code "4001"}. */
    public static String describe(int code) {
        String name = switch (code) {
            case NORMAL_CLOSURE -> "NORMAL_CLOSURE";
            case GOING_AWAY -> "GOING_AWAY";
            case PROTOCOL_ERROR -> "PROTOCOL_ERROR";
            case UNSUPPORTED_DATA -> "UNSUPPORTED_DATA";
            case NO_STATUS_RECEIVED -> "NO_STATUS_RECEIVED";
            case ABNORMAL_CLOSURE -> "ABNORMAL_CLOSURE";
            case INVALID_PAYLOAD -> "INVALID_PAYLOAD";
            case POLICY_VIOLATION -> "POLICY_VIOLATION";
            case MESSAGE_TOO_BIG -> "MESSAGE_TOO_BIG";
            case MANDATORY_EXTENSION -> "MANDATORY_EXTENSION";
            case INTERNAL_ERROR -> "INTERNAL_ERROR";
            case SERVICE_RESTART -> "SERVICE_RESTART";
            case TRY_AGAIN_LATER -> "TRY_AGAIN_LATER";
            case BAD_GATEWAY -> "BAD_GATEWAY";
            case TLS_HANDSHAKE -> "TLS_HANDSHAKE";
            default -> null;
        };
        return name == null ? Integer.toString(code) : code + " " + name;
    }
}
