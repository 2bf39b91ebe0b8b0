package dev.weft.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether a broker's engine is reachable.
 *
 * @param up true while connected and able to publish and receive
 * @param since when it last became up or down
 * @param detail why it is down (the last error), or how it is connected; for people, not programs
 */
public record BrokerHealth(boolean up, Instant since, String detail) {

    public BrokerHealth {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(detail, "detail");
    }

    /** Up from now on. */
    public static BrokerHealth up(String detail) {
        return new BrokerHealth(true, Instant.now(), detail);
    }

    /** Down from now on. */
    public static BrokerHealth down(String detail) {
        return new BrokerHealth(false, Instant.now(), detail);
    }

    @Override
    public String toString() {
        return (up ? "up" : "down") + " since " + since + ": " + detail;
    }
}
