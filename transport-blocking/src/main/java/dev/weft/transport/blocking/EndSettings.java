package dev.weft.transport.blocking;

import dev.weft.api.WebSocketConfig;
import dev.weft.api.metrics.WebSocketMetrics;
import dev.weft.core.session.MemoryBudget;
import dev.weft.core.session.SessionOptions;
import dev.weft.transport.blocking.socket.Inbox;

import java.time.Duration;
import java.util.Objects;

/**
 * What every blocking end is made with, whichever side and however it was opened: the protocol
 * settings, how it is read, how long a write may block, the memory budget it is charged to, and
 * where it reports its metrics.
 */
record EndSettings(WebSocketConfig config, Receiving receiving, Duration writeTimeout, MemoryBudget budget,
                   WebSocketMetrics metrics) {

    /** How long one write may block by default: long enough for a slow link, short enough to notice a dead one. */
    static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);

    EndSettings {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(receiving, "receiving");
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        Objects.requireNonNull(metrics, "metrics");
    }

    /** A new inbox for an end read the way these settings say. */
    Inbox newInbox() {
        return Inbox.of(switch (receiving) {
            case MESSAGES -> Inbox.Kept.MESSAGES;
            case FRAMES -> Inbox.Kept.FRAMES;
            case STREAMS -> Inbox.Kept.PARTS;
        });
    }

    SessionOptions sessionOptions() {
        return SessionOptions.DEFAULT.budget(budget).metrics(metrics);
    }
}
