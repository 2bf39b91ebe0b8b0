package dev.weft.benchmarks.hostile;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of hostile client, each named on the command line and in the report as {@link #label()}. */
enum Kind {

    /** A frame header declaring a payload at the server's limit, then a trickle of its bytes. */
    DECLARED_LENGTH,
    /** A frame header declaring a payload one byte over the server's limit. */
    DECLARED_OVERSIZE,
    /** permessage-deflate, then the first fragments of a message that inflates towards the limit, held. */
    COMPRESSED_PARTIAL,
    /** permessage-deflate, then one frame that inflates to twice the limit. */
    DEFLATE_BOMB,
    /** permessage-zstd (when the server offers it), then one frame that inflates to twice the limit. */
    ZSTD_BOMB,
    /** An opening handshake sent a byte at a time and never finished. */
    SLOWLORIS,
    /** Pings in bursts, as fast as the server takes them; the pongs are read. */
    PING_FLOOD,
    /** Large messages sent to the echo endpoint while nothing is read back. */
    SLOW_READER,
    /** Open, one echo, close; again and again, every other time dropping the TCP connection instead. */
    CHURN;

    /** The name on the command line and in the report, such as {@code declared-length}. */
    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kind called {@code label}. */
    static Kind of(String label) {
        for (Kind k : values()) {
            if (k.label().equals(label)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no attacker kind " + label + "; the kinds are "
                + Arrays.stream(values()).map(Kind::label).collect(Collectors.joining(", ")));
    }
}
