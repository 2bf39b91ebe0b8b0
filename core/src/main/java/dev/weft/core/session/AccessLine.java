package dev.weft.core.session;

import dev.weft.api.CloseCodes;
import dev.weft.api.metrics.CloseSide;
import dev.weft.core.handshake.Agreement;
import dev.weft.core.log.AccessLog;

import java.net.SocketAddress;

/**
 * The access log's line for one connection, written as it closes: key=value pairs, so that tools
 * can read them.
 *
 * <pre>127.0.0.1:5000 path=/echo subprotocol=- extensions=permessage-deflate duration=1.204s
 * messages_in=3 bytes_in=52 messages_out=3 bytes_out=46 close=1000 reason="bye" closed_by=remote</pre>
 *
 * Bytes are frame bytes, as {@link Traffic} counts them.
 */
final class AccessLine {

    private AccessLine() {
    }

    static String of(SocketAddress peer, Agreement agreement, long openForNanos, Traffic traffic, int code, String reason,
                     CloseSide side) {
        StringBuilder line = new StringBuilder(200).append(AccessLog.peer(peer))
                .append(" path=").append(agreement.request().path())
                .append(" subprotocol=").append(agreement.subprotocol() == null ? "-" : agreement.subprotocol())
                .append(" extensions=");
        if (agreement.extensions().isEmpty()) {
            line.append('-');
        }
        for (int i = 0; i < agreement.extensions().size(); i++) {
            line.append(i == 0 ? "" : ",").append(agreement.extensions().get(i).parameters().name());
        }
        long millis = openForNanos / 1_000_000;
        long fraction = millis % 1000;
        return line.append(" duration=").append(millis / 1000).append('.')
                .append(fraction < 100 ? "0" : "").append(fraction < 10 ? "0" : "").append(fraction).append('s')
                .append(" messages_in=").append(traffic.messagesIn).append(" bytes_in=").append(traffic.bytesIn)
                .append(" messages_out=").append(traffic.messagesOut).append(" bytes_out=").append(traffic.bytesOut)
                .append(" close=").append(code).append(" reason=\"").append(quoted(reason)).append('"')
                .append(" closed_by=").append(code == CloseCodes.ABNORMAL_CLOSURE ? "abnormal"
                        : side == CloseSide.LOCAL ? "local" : "remote")
                .toString();
    }

    /** {@code reason} safe inside quotes on one log line: a peer chose it. */
    private static String quoted(String reason) {
        if (reason == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(reason.length());
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(Character.isISOControl(c) ? '?' : c);
            }
        }
        return out.toString();
    }
}
